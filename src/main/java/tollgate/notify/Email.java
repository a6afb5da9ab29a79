package tollgate.notify;

import java.time.Instant;
import java.util.List;

/**
 * One message ready to go: a stable {@code messageId} ({@code <…@…>}), the tenant's sender, the recipient, both parts,
 * the {@code date} the change that caused it happened (on the tenant's clock) and its attachments.
 */
public record Email(String messageId, String fromName, String fromAddress, String replyTo, String to, String subject,
                    String text, String html, Instant date, List<Attachment> attachments) {
    public record Attachment(String filename, String contentType, byte[] bytes) {}
}
