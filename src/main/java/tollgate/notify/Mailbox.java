package tollgate.notify;

import java.util.ArrayList;
import java.util.List;
import tollgate.core.Problem;
import tollgate.tenants.Tenant;

/**
 * The built-in mailbox of a test tenant ({@code /dev/mail}): every message it queued, composed as it was sent or
 * kept, so a newcomer playing a failed payment with the test clock reads the emails without a mail server.
 */
public final class Mailbox {
    /** One message and what it reads like; {@code problem} says why it could not be composed (it then failed). */
    public record Letter(Notification notification, Email email, String problem) {}

    private final Notifications notifications;
    private final Courier courier;

    public Mailbox(Notifications notifications, Courier courier) {
        this.notifications = notifications;
        this.courier = courier;
    }

    public List<Letter> list(Tenant tenant, int limit) {
        requireTest(tenant);
        List<Letter> out = new ArrayList<>();
        for (Notification n : notifications.mailbox(tenant, limit)) out.add(letter(tenant, n));
        return out;
    }

    public Letter get(Tenant tenant, String id) {
        requireTest(tenant);
        return letter(tenant, notifications.find(tenant, id).orElseThrow(() -> Problem.notFound("notification", id)));
    }

    private Letter letter(Tenant tenant, Notification n) {
        try {
            return new Letter(n, courier.preview(tenant, n), null);
        } catch (MailTemplate.MissingValue e) {
            return new Letter(n, null, e.getMessage());
        }
    }

    private static void requireTest(Tenant tenant) {
        if (!tenant.isTest())
            throw new Problem(403, "test_mode_only", "The built-in mailbox shows test tenants' mail only; live mail goes to TOLLGATE_SMTP_URL", null);
    }
}
