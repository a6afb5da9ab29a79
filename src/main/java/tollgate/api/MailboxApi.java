package tollgate.api;

import java.time.format.DateTimeFormatter;
import java.util.List;
import tollgate.notify.Email;
import tollgate.notify.MailTemplate;
import tollgate.notify.Mailbox;
import tollgate.notify.Notification;

/**
 * {@code /dev/mail}: a test tenant's built-in mailbox, as plain HTML pages for a browser. The browser asks for the
 * test secret key as the user name of HTTP Basic authentication (the password stays empty), or send it as a bearer
 * key. Each message shows its envelope, its HTML part (in a sandboxed frame: no scripts, no forms) and its text part.
 */
public final class MailboxApi implements Api {
    private static final String HTML = "text/html; charset=utf-8";
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(java.time.ZoneOffset.UTC);
    private final Mailbox mailbox;

    public MailboxApi(Mailbox mailbox) {
        this.mailbox = mailbox;
    }

    @Override
    public String openApiFragment() {
        return "mailbox";
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get("/dev/mail", call -> Reply.raw(HTML, list(mailbox.list(call.tenant(), 200)))),
                Route.get("/dev/mail/{id}", call -> Reply.raw(HTML, show(mailbox.get(call.tenant(), call.path("id"))))));
    }

    private static String list(List<Mailbox.Letter> letters) {
        StringBuilder rows = new StringBuilder();
        for (Mailbox.Letter l : letters) {
            Notification n = l.notification();
            rows.append("<tr><td>").append(WHEN.format(n.createdAt())).append("</td><td>").append(MailTemplate.escape(n.recipient()))
                    .append("</td><td><a href=\"/dev/mail/").append(MailTemplate.escape(n.id())).append("\">")
                    .append(MailTemplate.escape(l.email() != null ? l.email().subject() : "(" + n.template() + ")")).append("</a></td><td>")
                    .append(MailTemplate.escape(n.template())).append("</td><td>").append(MailTemplate.escape(n.status())).append("</td></tr>\n");
        }
        if (letters.isEmpty()) rows.append("<tr><td colspan=\"5\">No mail yet. Fail a payment on the test clock and look again.</td></tr>");
        return page("Mailbox", "<h1>Mailbox</h1><p>Every message this test tenant queued, newest first.</p>"
                + "<table><tr><th>When (tenant's clock)</th><th>To</th><th>Subject</th><th>Template</th><th>Status</th></tr>\n"
                + rows + "</table>");
    }

    private static String show(Mailbox.Letter l) {
        Notification n = l.notification();
        StringBuilder b = new StringBuilder("<p><a href=\"/dev/mail\">&larr; Mailbox</a></p>");
        if (l.email() == null) {
            b.append("<h1>").append(MailTemplate.escape(n.template())).append("</h1><p>Could not be composed: ").append(MailTemplate.escape(l.problem())).append("</p>");
            return page(n.template(), b.toString());
        }
        Email e = l.email();
        b.append("<h1>").append(MailTemplate.escape(e.subject())).append("</h1><table>")
                .append(row("From", e.fromName() + " <" + e.fromAddress() + ">")).append(row("To", e.to()))
                .append(row("Reply-To", e.replyTo())).append(row("Date", WHEN.format(e.date())))
                .append(row("Message-ID", e.messageId())).append(row("Status", n.status() + " (attempts: " + n.attempts() + ")"))
                .append(row("Last answer", n.lastResponse()))
                .append(row("Attachment", n.invoice() != null && (n.template().equals("invoice_issued") || n.template().equals("invoice_paid"))
                        ? "the invoice's PDF (GET /v1/invoices/" + n.invoice() + "/pdf)" : null))
                .append("</table><h2>HTML</h2><iframe sandbox title=\"HTML part\" style=\"width:100%;height:640px;border:1px solid #ccc\" srcdoc=\"")
                .append(MailTemplate.escape(e.html())).append("\"></iframe><h2>Text</h2><pre>").append(MailTemplate.escape(e.text())).append("</pre>");
        return page(e.subject(), b.toString());
    }

    private static String row(String name, String value) {
        return value == null ? "" : "<tr><th style=\"text-align:left;padding-right:1em\">" + name + "</th><td>" + MailTemplate.escape(value) + "</td></tr>";
    }

    private static String page(String title, String body) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + MailTemplate.escape(title) + " · Tollgate</title>"
                + "<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:960px}td,th{padding:4px 8px;vertical-align:top}"
                + "table{border-collapse:collapse}tr:nth-child(even){background:#f6f6f6}pre{white-space:pre-wrap;background:#f6f6f6;padding:1em}"
                + "</style></head><body>" + body + "</body></html>";
    }
}
