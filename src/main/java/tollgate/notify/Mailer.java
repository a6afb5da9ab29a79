package tollgate.notify;

/** Hands one message to a mail server and says how that went. */
@FunctionalInterface
public interface Mailer {
    MailDeliveryRules.Outcome send(Email email);
}
