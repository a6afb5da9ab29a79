package tollgate.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import tollgate.catalog.BillingInterval;
import tollgate.catalog.Coupon;
import tollgate.catalog.CouponDuration;
import tollgate.catalog.Plan;
import tollgate.catalog.PlanType;
import tollgate.catalog.Tier;

/** The catalog's resources as the API shows them (SPEC §2; openapi fragment {@code catalog}). */
final class CatalogJson {
    private CatalogJson() {}

    public record PlanJson(String id, String object, String name, PlanType type, String currency, Long amount,
                           BillingInterval interval, Integer includedSeats, Long seatAmount, Long unitAmount,
                           List<TierJson> tiers, int trialDays, String dunningPolicy, Map<String, String> metadata,
                           Instant createdAt, String seatsFrom) {
        static PlanJson of(Plan p) {
            return new PlanJson(p.id(), "plan", p.name(), p.type(), p.currency(), p.amount(), p.interval(), p.includedSeats(),
                    p.seatAmount(), p.unitAmount(), p.tiers() == null ? null : p.tiers().stream().map(TierJson::of).toList(),
                    p.trialDays(), p.dunningPolicy(), p.metadata(), p.createdAt(), p.seatsFrom());
        }
    }

    public record TierJson(Long upTo, long unitAmount, long flatAmount) {
        static TierJson of(Tier t) {
            return new TierJson(t.upTo(), t.unitAmount(), t.flatAmount());
        }
    }

    public record CouponJson(String id, String object, String name, java.math.BigDecimal percentOff, Long amountOff, String currency,
                             CouponDuration duration, Integer durationInMonths, Instant createdAt) {
        static CouponJson of(Coupon c) {
            return new CouponJson(c.id(), "coupon", c.name(), c.percentOff(), c.amountOff(), c.currency(), c.duration(),
                    c.durationInMonths(), c.createdAt());
        }
    }
}
