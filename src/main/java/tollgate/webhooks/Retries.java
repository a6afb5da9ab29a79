package tollgate.webhooks;

import java.time.Duration;
import java.time.Instant;

/**
 * When a failed delivery is tried again: 1, 2, 4, 8 … minutes after each failure, at most 6 hours apart, for 3 days
 * from its first attempt; the last try falls on the third day's end. After it fails, the delivery is given up.
 */
public final class Retries {
    public static final Duration WINDOW = Duration.ofDays(3);
    static final Duration LONGEST_GAP = Duration.ofHours(6);

    private Retries() {}

    /** The next attempt after attempt number {@code attempts} failed at {@code now}, or null to give up. */
    public static Instant next(int attempts, Instant firstAttemptAt, Instant now) {
        Instant end = firstAttemptAt.plus(WINDOW);
        if (!now.isBefore(end)) return null;
        long minutes = attempts >= 20 ? LONGEST_GAP.toMinutes() : Math.min(1L << Math.max(0, attempts - 1), LONGEST_GAP.toMinutes());
        Instant next = now.plus(Duration.ofMinutes(minutes));
        return next.isAfter(end) ? end : next;
    }
}
