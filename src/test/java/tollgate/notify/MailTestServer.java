package tollgate.notify;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tollgate.Config;
import tollgate.tenants.Tenant;
import tollgate.testing.ApiClient;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * A Tollgate server of its own whose mail goes to GreenMail (a real SMTP server in this JVM), with its background mail
 * worker stopped: tests deliver with {@link #deliver()} and then look, so nothing races the assertions.
 */
final class MailTestServer implements AutoCloseable {
    final GreenMail greenMail;
    final TestServer.Client server;
    private int seen;

    /** One received message, read back: envelope, both parts and attachments. */
    record Received(MimeMessage mime, String subject, List<String> to, String from, String replyTo, String messageId,
                    Instant date, String text, String html, List<Attachment> attachments) {}

    record Attachment(String filename, String contentType, byte[] bytes) {}

    MailTestServer(TestDatabase database) {
        greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        greenMail.start();
        server = TestServer.start(database, c -> c.withMail(new Config.MailSettings(
                SmtpServer.parse("smtp://127.0.0.1:" + greenMail.getSmtp().getPort()), "billing@tollgate.test", "https://billing.example")));
        server.app().mailWorker.close();
    }

    Courier courier() {
        return server.app().courier;
    }

    /** Delivers everything due now and answers how many messages were claimed. */
    int deliver() {
        return courier().deliverAllDue();
    }

    /** A test tenant whose clock stands at {@code start}. */
    ApiClient tenantAt(Instant start) {
        ApiClient api = server.newTenant(Tenant.Mode.TEST);
        server.app().db.tx(tx -> {
            tx.execute("update tenants set clock_now = ? where id = ?", start, api.tenant.id());
            tx.execute("delete from timeline where tenant_id = ? and kind = 'idempotency.purge'", api.tenant.id());
            return null;
        });
        return api;
    }

    /** The messages received since the last call, in the order they arrived. */
    List<Received> newMail() {
        MimeMessage[] all = greenMail.getReceivedMessages();
        List<Received> out = new ArrayList<>();
        for (MimeMessage m : Arrays.copyOfRange(all, seen, all.length)) out.add(read(m));
        seen = all.length;
        return out;
    }

    static Received read(MimeMessage m) {
        try {
            List<String> to = new ArrayList<>();
            for (var a : m.getAllRecipients()) to.add(a.toString());
            String[] text = {null};
            String[] html = {null};
            List<Attachment> attachments = new ArrayList<>();
            walk(m, text, html, attachments);
            return new Received(m, m.getSubject(), to, m.getFrom()[0].toString(), m.getReplyTo() == null ? null : m.getReplyTo()[0].toString(),
                    m.getMessageID(), m.getSentDate().toInstant(), text[0], html[0], attachments);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void walk(Part p, String[] text, String[] html, List<Attachment> attachments) throws Exception {
        if (Part.ATTACHMENT.equalsIgnoreCase(p.getDisposition())) {
            try (InputStream in = p.getInputStream()) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                in.transferTo(out);
                attachments.add(new Attachment(p.getFileName(), p.getContentType(), out.toByteArray()));
            }
        } else if (p.isMimeType("multipart/*")) {
            Multipart mp = (Multipart) p.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart b = mp.getBodyPart(i);
                walk(b, text, html, attachments);
            }
        } else if (p.isMimeType("text/plain")) {
            text[0] = (String) p.getContent();
        } else if (p.isMimeType("text/html")) {
            html[0] = (String) p.getContent();
        }
    }

    @Override
    public void close() {
        server.close();
        greenMail.stop();
    }
}
