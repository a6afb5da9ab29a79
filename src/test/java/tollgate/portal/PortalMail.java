package tollgate.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tollgate.Tollgate;
import tollgate.notify.Email;
import tollgate.notify.Mailbox;
import tollgate.tenants.Tenant;

/** Reads the portal's mails from the built-in mailbox (composed as they are sent) and the link they carry. */
final class PortalMail {
    private PortalMail() {}

    /** The newest message of {@code template} to {@code to}, composed. */
    static Email latest(Tollgate app, Tenant tenant, String template, String to) {
        return new Mailbox(app.notifications, app.courier).list(tenant, 50).stream()
                .filter(l -> l.notification().template().equals(template) && l.notification().recipient().equalsIgnoreCase(to))
                .findFirst().map(Mailbox.Letter::email).orElseThrow(() -> new AssertionError("no " + template + " to " + to));
    }

    /** The portal path (/portal/…) of the link in the message's text, to open on the test server. */
    static String linkPath(Email mail) {
        Matcher m = Pattern.compile("https?://[^\\s/]+(/portal/\\S+)").matcher(mail.text());
        assertThat(m.find()).as("a portal link in: " + mail.text()).isTrue();
        return m.group(1);
    }
}
