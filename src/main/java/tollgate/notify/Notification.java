package tollgate.notify;

import java.time.Instant;
import java.util.Map;

/**
 * A message to an account's billing contact (or, without an account, to the tenant itself), in the outbox: which
 * {@code template}, to whom, about which invoice, with the figures the template prints. Written in the transaction of
 * the change that causes it; the mail worker then delivers it. {@code status}: {@code pending} (not delivered yet:
 * {@code next_attempt_at} says when it is tried), {@code sent}, {@code failed} (for good: {@code last_response} says
 * why) or {@code skipped} (no address to write to). {@code messageId} stays the same on every attempt.
 */
public record Notification(String id, String account, String template, String recipient, String invoice,
                           Map<String, Object> data, String status, int attempts, String lastResponse, Instant nextAttemptAt,
                           String messageId, Instant createdAt, Instant sentAt, Instant failedAt) {

    public static Notification queued(String id, String account, String template, String recipient, String invoice,
                                      Map<String, Object> data, String messageId, Instant now) {
        return new Notification(id, account, template, recipient, invoice, data, "pending", 0, null, now,
                messageId, now, null, null);
    }
}
