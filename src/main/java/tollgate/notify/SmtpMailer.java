package tollgate.notify;

import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.UnsupportedEncodingException;
import java.util.Date;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Sends over SMTP (Angus Mail), one connection per message: STARTTLS when the server offers it (or required, as the
 * URL says) or TLS from the first byte for {@code smtps://}; bounded connect, read and write timeouts, so a server that
 * hangs costs one worker at most about a minute. Answers how the attempt ended, never throws for the server's refusal.
 */
public final class SmtpMailer implements Mailer {
    private static final String TIMEOUT_MS = "30000";
    private final SmtpServer server;
    private final Session session;

    public SmtpMailer(SmtpServer server, String heloName) {
        this.server = server;
        String p = server.ssl() ? "mail.smtps." : "mail.smtp.";
        Properties props = new Properties();
        props.put(p + "host", server.host());
        props.put(p + "port", Integer.toString(server.port()));
        props.put(p + "connectiontimeout", "10000");
        props.put(p + "timeout", TIMEOUT_MS);
        props.put(p + "writetimeout", TIMEOUT_MS);
        props.put(p + "localhost", heloName);
        props.put(p + "auth", Boolean.toString(server.user() != null));
        if (!server.ssl()) {
            props.put("mail.smtp.starttls.enable", "true");
            props.put("mail.smtp.starttls.required", Boolean.toString(server.startTlsRequired()));
        } else {
            props.put("mail.smtps.ssl.checkserveridentity", "true");
        }
        this.session = Session.getInstance(props);
    }

    @Override
    public MailDeliveryRules.Outcome send(Email email) {
        MimeMessage message;
        try {
            message = mime(session, email);
        } catch (MessagingException | UnsupportedEncodingException e) {
            // Our own message cannot be built (an address that does not parse): no retry makes it better.
            return new MailDeliveryRules.Outcome(MailDeliveryRules.Kind.PERMANENT, 0, "message could not be built: " + e.getMessage());
        }
        try (Transport transport = session.getTransport(server.ssl() ? "smtps" : "smtp")) {
            transport.connect(server.host(), server.port(), server.user(), server.password());
            Address[] to = message.getAllRecipients();
            transport.sendMessage(message, to);
            return MailDeliveryRules.Outcome.sent(((SMTPTransport) transport).getLastServerResponse().strip());
        } catch (AuthenticationFailedException e) {
            // The operator's credentials, not the message: worth trying again once they are fixed.
            return MailDeliveryRules.Outcome.unreachable("authentication failed: " + e.getMessage());
        } catch (MessagingException e) {
            return outcome(e);
        }
    }

    /** The server's reply code wherever it sits in the chain; none means the connection itself failed. */
    static MailDeliveryRules.Outcome outcome(MessagingException e) {
        for (Exception x = e; x != null; x = x instanceof MessagingException m ? m.getNextException() : null) {
            if (x instanceof SMTPAddressFailedException a) return MailDeliveryRules.Outcome.answered(a.getReturnCode(), a.getMessage().strip());
            if (x instanceof SMTPSenderFailedException s) return MailDeliveryRules.Outcome.answered(s.getReturnCode(), s.getMessage().strip());
            if (x instanceof SMTPSendFailedException f) return MailDeliveryRules.Outcome.answered(f.getReturnCode(), f.getMessage().strip());
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return MailDeliveryRules.Outcome.unreachable(root.getClass().getSimpleName() + ": " + root.getMessage());
    }

    /** The MIME message as it would be sent (the rendering benchmark builds it too). */
    public static MimeMessage mimeOf(Session session, Email email) {
        try {
            return mime(session, email);
        } catch (MessagingException | UnsupportedEncodingException e) {
            throw new IllegalArgumentException("message " + email.messageId() + " cannot be built", e);
        }
    }

    /** The MIME message: text and HTML as alternatives, attachments beside them; our Message-ID, not a fresh one. */
    static MimeMessage mime(Session session, Email email) throws MessagingException, UnsupportedEncodingException {
        MimeMessage m = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", email.messageId());
            }
        };
        m.setFrom(new InternetAddress(email.fromAddress(), email.fromName(), "UTF-8"));
        if (email.replyTo() != null) m.setReplyTo(new Address[] {new InternetAddress(email.replyTo(), true)});
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(email.to(), true));
        m.setSubject(email.subject(), "UTF-8");
        m.setSentDate(Date.from(email.date()));
        MimeMultipart alternative = new MimeMultipart("alternative");
        MimeBodyPart text = new MimeBodyPart();
        text.setText(email.text(), "UTF-8", "plain");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(email.html(), "UTF-8", "html");
        alternative.addBodyPart(text);
        alternative.addBodyPart(html);
        if (email.attachments().isEmpty()) {
            m.setContent(alternative);
        } else {
            MimeMultipart mixed = new MimeMultipart("mixed");
            MimeBodyPart body = new MimeBodyPart();
            body.setContent(alternative);
            mixed.addBodyPart(body);
            for (Email.Attachment a : email.attachments()) {
                MimeBodyPart part = new MimeBodyPart();
                part.setDataHandler(new jakarta.activation.DataHandler(new ByteArrayDataSource(a.bytes(), a.contentType())));
                part.setFileName(a.filename());
                part.setDisposition(MimeBodyPart.ATTACHMENT);
                mixed.addBodyPart(part);
            }
            m.setContent(mixed);
        }
        m.saveChanges();
        return m;
    }
}
