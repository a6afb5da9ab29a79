package tollgate.billing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/** The arithmetic of partial periods. Amounts are minor units; each result is rounded half-even once. */
public final class Proration {
    private Proration() {}

    /**
     * SPEC "Active day": the license is active on calendar day D (in {@code zone}) when [issuedAt, revokedAt)
     * overlaps [D 00:00, D+1 00:00). Answers the number of such days in {@code month}; {@code revokedAt} null
     * means still live.
     */
    public static int activeDays(Instant issuedAt, Instant revokedAt, YearMonth month, ZoneId zone) {
        if (revokedAt != null && !revokedAt.isAfter(issuedAt)) return 0;
        LocalDate first = month.atDay(1);
        LocalDate firstAfter = month.plusMonths(1).atDay(1);
        LocalDate from = issuedAt.atZone(zone).toLocalDate();
        if (from.isBefore(first)) from = first;
        LocalDate until; // exclusive: the first day the license is not active on
        if (revokedAt == null) {
            until = firstAfter;
        } else {
            ZonedDateTime revoked = revokedAt.atZone(zone);
            LocalDate revokedDay = revoked.toLocalDate();
            // Revoked exactly at midnight: it was not active on that day at all.
            until = revoked.toLocalTime().equals(java.time.LocalTime.MIDNIGHT) ? revokedDay : revokedDay.plusDays(1);
            if (until.isAfter(firstAfter)) until = firstAfter;
        }
        long days = java.time.temporal.ChronoUnit.DAYS.between(from, until);
        return (int) Math.max(0, days);
    }

    /** SPEC §2 license plans: {@code round(amount × activeDays / daysInMonth)}, half-even. */
    public static long share(long amount, long days, long ofDays) {
        if (ofDays <= 0) throw new IllegalArgumentException("a period has at least one day");
        return BigDecimal.valueOf(amount).multiply(BigDecimal.valueOf(days))
                .divide(BigDecimal.valueOf(ofDays), 0, RoundingMode.HALF_EVEN).longValueExact();
    }
}
