package tollgate.api;

import java.time.Instant;
import tollgate.webhooks.Delivery;

/** One event on its way to one endpoint, as the delivery log shows it (openapi fragment {@code webhooks}). */
public record DeliveryJson(String id, String object, String endpoint, String event, String status, int attempts,
                           Instant nextAttemptAt, Instant lastAttemptAt, Integer responseStatus, Integer latencyMs,
                           String responseBody, String error, Instant createdAt, Instant deliveredAt) {
    static DeliveryJson of(Delivery d) {
        return new DeliveryJson(d.id(), "webhook_delivery", d.endpoint(), d.event(), d.status(), d.attempts(), d.nextAttemptAt(),
                d.lastAttemptAt(), d.responseStatus(), d.latencyMs(), d.responseBody(), d.error(), d.createdAt(), d.deliveredAt());
    }
}
