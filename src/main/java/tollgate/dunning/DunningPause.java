package tollgate.dunning;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Dunning paused for an account (grace, decision 049): set at {@code pausedAt}, its steps dated before
 * {@code resumeOn} (a day in the account's time zone) wait until that day. {@code liftedAt}: when paying every past-due
 * invoice ended it (null while it stands); invoices that become past due after that are not held.
 */
public record DunningPause(Instant pausedAt, LocalDate resumeOn, Instant liftedAt) {
    /** Whether the pause holds an invoice that became past due at {@code pastDueAt}. */
    boolean holds(Instant pastDueAt) {
        return liftedAt == null || pastDueAt.isBefore(liftedAt);
    }

    /** Standing at {@code now}: not lifted, and its day not reached in {@code zone}. */
    public boolean standsAt(Instant now, java.time.ZoneId zone) {
        return liftedAt == null && now.atZone(zone).toLocalDate().isBefore(resumeOn);
    }
}
