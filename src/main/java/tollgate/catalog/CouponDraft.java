package tollgate.catalog;

import java.math.BigDecimal;

/** A coupon as the caller asked for it, before any rule ran; {@link CouponRules} checks it. */
public record CouponDraft(String name, BigDecimal percentOff, Long amountOff, String currency, String duration,
                          Integer durationInMonths) {}
