package tollgate.catalog;

import java.time.Instant;

/**
 * A discount on a subscription's lines (SPEC §2): either {@code percentOff} (1–100) or {@code amountOff} in minor
 * units of {@code currency}, never both. {@code durationInMonths} is set for, and only for, {@code REPEATING}.
 */
public record Coupon(String id, String name, Integer percentOff, Long amountOff, String currency,
                     CouponDuration duration, Integer durationInMonths, Instant createdAt) {}
