package tollgate.webhooks;

import java.time.Instant;

/**
 * One event on its way to one endpoint, as the delivery log shows it (api's {@code DeliveryJson}): {@code status}
 * {@code pending} (not yet delivered; {@code next_attempt_at} says when it is tried), {@code delivered} or
 * {@code failed} (given up), and what the last attempt met: the receiver's HTTP status, how long it took, the first
 * bytes of its answer, or the error.
 */
public record Delivery(String id, String endpoint, String event, String status, int attempts,
                       Instant nextAttemptAt, Instant lastAttemptAt, Integer responseStatus, Integer latencyMs,
                       String responseBody, String error, Instant createdAt, Instant deliveredAt) {
    public static final String PREFIX = "whdel";

    public static String publicId(long id) {
        return PREFIX + "_" + id;
    }

    /** The row id of a public id, or -1 when it is not one. */
    public static long rowId(String publicId) {
        if (publicId == null || !publicId.startsWith(PREFIX + "_")) return -1;
        try {
            return Long.parseLong(publicId.substring(PREFIX.length() + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
