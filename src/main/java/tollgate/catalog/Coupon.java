package tollgate.catalog;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A discount on a subscription's lines (SPEC §2): either {@code percentOff} (above 0, at most 100, two decimals at
 * most: 12.5 is 12.5 %, decision 089) or {@code amountOff} in minor units of {@code currency}, never both.
 * {@code durationInMonths} is set for, and only for, {@code REPEATING}.
 */
public record Coupon(String id, String name, BigDecimal percentOff, Long amountOff, String currency,
                     CouponDuration duration, Integer durationInMonths, Instant createdAt) {
    public Coupon {
        percentOff = plain(percentOff);
    }

    /** Without trailing zeros, and never in exponent form: 12.50 is 12.5, 100.00 is 100 (not 1E+2). */
    public static BigDecimal plain(BigDecimal percent) {
        if (percent == null) return null;
        BigDecimal p = percent.stripTrailingZeros();
        return p.scale() < 0 ? p.setScale(0) : p;
    }
}
