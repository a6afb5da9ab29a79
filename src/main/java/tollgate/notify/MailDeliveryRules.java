package tollgate.notify;

import java.time.Duration;
import java.time.Instant;

/**
 * The rules of delivering one message, free of SMTP and clocks: what an answer of the mail server means and when a
 * temporarily refused message is tried again. Temporary: a 4xx answer, a refused or dropped connection, a timeout —
 * retried with growing pauses for up to {@link #GIVE_UP_AFTER} from when it was queued. Permanent: a 5xx answer —
 * failed at once, with the server's words.
 */
public final class MailDeliveryRules {
    /** How long a message is retried after it was queued. */
    public static final Duration GIVE_UP_AFTER = Duration.ofDays(3);

    private static final Duration[] PAUSES = {Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15),
            Duration.ofHours(1), Duration.ofHours(3), Duration.ofHours(6)};
    /** After the listed pauses, every 12 hours until the three days are over. */
    private static final Duration LAST_PAUSE = Duration.ofHours(12);

    /** How one attempt ended. {@code code}: the SMTP reply code, 0 when there was none (no connection). */
    public record Outcome(Kind kind, int code, String response) {
        public static Outcome sent(String response) {
            return new Outcome(Kind.SENT, 250, response);
        }

        /** An answer of the server: 2xx sent, 4xx temporary, 5xx (and anything else) permanent. */
        public static Outcome answered(int code, String response) {
            Kind kind = code >= 200 && code < 300 ? Kind.SENT : code >= 400 && code < 500 ? Kind.TEMPORARY : Kind.PERMANENT;
            return new Outcome(kind, code, response);
        }

        /** No answer: the connection was refused, dropped or timed out. */
        public static Outcome unreachable(String why) {
            return new Outcome(Kind.TEMPORARY, 0, why);
        }
    }

    public enum Kind { SENT, TEMPORARY, PERMANENT }

    private MailDeliveryRules() {}

    /**
     * When the message that failed its {@code attempts}-th attempt (1 for the first) at {@code now} is tried again, or
     * null when three days since {@code queuedAt} are over: then it has failed for good.
     */
    public static Instant retryAt(Instant queuedAt, int attempts, Instant now) {
        Duration pause = attempts <= PAUSES.length ? PAUSES[Math.max(attempts, 1) - 1] : LAST_PAUSE;
        Instant next = now.plus(pause);
        Instant deadline = queuedAt.plus(GIVE_UP_AFTER);
        if (!now.isBefore(deadline)) return null;
        return next.isAfter(deadline) ? deadline : next;
    }
}
