package tollgate.subscriptions;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/**
 * SPEC §2 seat changes: an increase during a period is charged for the days left of it. Days are calendar days
 * in the account's time zone, from the change's date (counted whole) to the period's end date (not counted).
 */
public final class SeatProration {
    private SeatProration() {}

    /** Calendar days from {@code from}'s local date to {@code to}'s local date. */
    public static int calendarDays(Instant from, Instant to, ZoneId zone) {
        return Math.toIntExact(ChronoUnit.DAYS.between(from.atZone(zone).toLocalDate(), to.atZone(zone).toLocalDate()));
    }

    /** {@code extraSeats × seatAmount × remainingDays / periodDays}, rounded half-even once, in minor units. */
    public static long amount(long extraSeats, long seatAmount, int remainingDays, int periodDays) {
        if (periodDays <= 0) throw new IllegalArgumentException("a period has at least one day: " + periodDays);
        return BigDecimal.valueOf(extraSeats)
                .multiply(BigDecimal.valueOf(seatAmount))
                .multiply(BigDecimal.valueOf(remainingDays))
                .divide(BigDecimal.valueOf(periodDays), 0, RoundingMode.HALF_EVEN)
                .longValueExact();
    }
}
