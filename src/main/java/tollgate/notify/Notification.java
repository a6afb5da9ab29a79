package tollgate.notify;

import java.time.Instant;
import java.util.Map;

/**
 * A message to send to an account's billing contact, waiting in the outbox: which {@code template}, to whom, about
 * which invoice, with the figures the template prints. Written in the transaction of the change that causes it.
 */
public record Notification(String id, String object, String account, String template, String recipient, String invoice,
                           Map<String, Object> data, String status, Instant createdAt, Instant sentAt) {
    public Notification(String id, String account, String template, String recipient, String invoice, Map<String, Object> data,
                        String status, Instant createdAt, Instant sentAt) {
        this(id, "notification", account, template, recipient, invoice, data, status, createdAt, sentAt);
    }
}
