package tollgate.subscriptions;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import tollgate.catalog.BillingInterval;

/**
 * SPEC §2 "Anniversary": billing dates keep the anchor's day of month, clamped to the month's last day, at the
 * anchor's local time in the account's time zone. Every date is computed from the anchor, never from the date
 * before it: an anchor of Jan 31 gives Feb 29, Mar 31, Apr 30 (a step from the clamped Feb 29 would give Mar 29).
 * A year is twelve such months, so Feb 29 gives Feb 28 the next year and Feb 29 again in four.
 */
public final class Anniversary {
    private Anniversary() {}

    /** The billing date {@code months} months after the anchor. */
    public static Instant monthsAfter(Instant anchor, ZoneId zone, long months) {
        // ZonedDateTime.plusMonths works on the local date-time: it clamps the day to the month's length and keeps
        // the time of day across daylight-saving changes (in a spring-forward gap the time moves on by the gap).
        return anchor.atZone(zone).plusMonths(months).toInstant();
    }

    public static int monthsPerPeriod(BillingInterval interval) {
        return interval == BillingInterval.YEAR ? 12 : 1;
    }

    /**
     * How many monthly dates after the anchor have come by {@code instant}: the largest m with
     * {@code monthsAfter(anchor, m) <= instant}; -1 when the instant lies before the anchor.
     */
    public static long monthsElapsed(Instant anchor, ZoneId zone, Instant instant) {
        if (instant.isBefore(anchor)) return -1;
        ZonedDateTime a = anchor.atZone(zone);
        ZonedDateTime i = instant.atZone(zone);
        long m = ChronoUnit.MONTHS.between(a.toLocalDate().withDayOfMonth(1), i.toLocalDate().withDayOfMonth(1));
        while (m > 0 && monthsAfter(anchor, zone, m).isAfter(instant)) m--;
        while (!monthsAfter(anchor, zone, m + 1).isAfter(instant)) m++;
        return m;
    }

    /** The first monthly date of the anchor strictly after {@code instant} (the anchor itself when it is later). */
    public static Instant firstAfter(Instant anchor, ZoneId zone, Instant instant) {
        return monthsAfter(anchor, zone, monthsElapsed(anchor, zone, instant) + 1);
    }

    /** {@code trial_days} calendar days after the start, at the same local time (SPEC §2 trials). */
    public static Instant daysAfter(Instant start, ZoneId zone, int days) {
        return start.atZone(zone).plusDays(days).toInstant();
    }
}
