package tollgate.catalog;

import java.math.BigDecimal;
import java.time.Instant;
import tollgate.core.Currencies;
import tollgate.core.Ids;
import tollgate.core.Problem;

/**
 * The rules for a new coupon: exactly one of {@code percent_off} and {@code amount_off}; an amount needs its
 * currency (as in Stripe), a percentage has none; {@code duration_in_months} only for a repeating coupon.
 */
public final class CouponRules {
    public static final int MAX_MONTHS = 120;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private CouponRules() {}

    public static Coupon create(CouponDraft d, Instant now) {
        String name = d.name() == null ? null : name(d.name());
        String currency = null;
        if (d.percentOff() != null && d.amountOff() != null)
            throw new Problem(422, "parameters_exclusive", "Give either 'percent_off' or 'amount_off', not both", "amount_off");
        if (d.percentOff() == null && d.amountOff() == null)
            throw Problem.invalid("percent_off", "parameter_missing", "A coupon needs 'percent_off' or 'amount_off'");
        if (d.percentOff() != null) {
            BigDecimal p = Coupon.plain(d.percentOff());
            if (p.signum() <= 0 || p.compareTo(HUNDRED) > 0 || p.scale() > 2)
                throw Problem.invalid("percent_off", "parameter_invalid",
                        "'percent_off' must be above 0 and at most 100, with at most two decimals (12.5 for 12.5 %)");
            if (d.currency() != null)
                throw Problem.invalid("currency", "parameter_not_applicable", "'currency' applies only to a coupon with 'amount_off'");
        } else {
            if (d.amountOff() < 1)
                throw Problem.invalid("amount_off", "parameter_invalid", "'amount_off' must be a positive amount in minor units");
            if (d.amountOff() > PlanRules.MAX_AMOUNT) throw PlanRules.amountTooLarge("amount_off");
            currency = Currencies.code(d.currency());
        }

        if (d.duration() == null) throw Problem.missing("duration");
        CouponDuration duration = CouponDuration.fromWire(d.duration()).orElseThrow(() ->
                Problem.invalid("duration", "parameter_invalid", "'duration' must be one of once, repeating, forever"));
        if (duration == CouponDuration.REPEATING) {
            if (d.durationInMonths() == null) throw Problem.missing("duration_in_months");
            if (d.durationInMonths() < 1 || d.durationInMonths() > MAX_MONTHS)
                throw Problem.invalid("duration_in_months", "parameter_invalid", "'duration_in_months' must be from 1 to " + MAX_MONTHS);
        } else if (d.durationInMonths() != null) {
            throw Problem.invalid("duration_in_months", "parameter_not_applicable",
                    "'duration_in_months' applies only to a repeating coupon, not to " + duration.wire());
        }
        return new Coupon(Ids.next("coupon"), name, d.percentOff(), d.amountOff(), currency, duration,
                d.durationInMonths(), now);
    }

    private static String name(String name) {
        if (name.isBlank()) throw Problem.invalid("name", "parameter_invalid", "'name' must not be blank");
        if (name.length() > 200) throw Problem.invalid("name", "parameter_invalid", "'name' is longer than 200 characters");
        return name.strip();
    }
}
