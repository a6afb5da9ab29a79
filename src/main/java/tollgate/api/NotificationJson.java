package tollgate.api;

import java.time.Instant;
import java.util.Map;
import tollgate.notify.Notification;

/** A message in an account's outbox as the API shows it (openapi fragment {@code dunning}). */
public record NotificationJson(String id, String object, String account, String template, String recipient, String invoice,
                               Map<String, Object> data, String status, int attempts, String lastResponse, Instant nextAttemptAt,
                               String messageId, Instant createdAt, Instant sentAt, Instant failedAt) {
    static NotificationJson of(Notification n) {
        return new NotificationJson(n.id(), "notification", n.account(), n.template(), n.recipient(), n.invoice(), n.data(),
                n.status(), n.attempts(), n.lastResponse(), n.nextAttemptAt(), n.messageId(), n.createdAt(), n.sentAt(), n.failedAt());
    }
}
