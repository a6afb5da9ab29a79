package tollgate.tenants;

/**
 * How the tenant's emails look and who they come from: the sender's name and address, where replies go, the logo
 * (an https URL of an image) and two colours ({@code #rrggbb}: the header and buttons, the page around the message).
 * Every field may be null: the tenant's name, the server's {@code TOLLGATE_MAIL_FROM}, the support address and
 * Tollgate's own colours stand in.
 */
public record EmailBranding(String senderName, String senderEmail, String replyTo, String logoUrl, String brandColor,
                            String accentColor) {
    public static final EmailBranding NONE = new EmailBranding(null, null, null, null, null, null);
}
