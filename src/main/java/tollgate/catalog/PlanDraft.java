package tollgate.catalog;

import java.util.List;

/**
 * A plan as the caller asked for it, before any rule ran: every field may be missing (null) or wrong.
 * Names follow the API; {@link PlanRules} turns it into a {@link Plan} or refuses it naming the field.
 */
public record PlanDraft(String name, String type, String currency, Long amount, String interval,
                        Integer includedSeats, Long seatAmount, Long unitAmount, List<TierDraft> tiers,
                        Integer trialDays, String dunningPolicy, String seatsFrom) {

    public PlanDraft(String name, String type, String currency, Long amount, String interval, Integer includedSeats,
                     Long seatAmount, Long unitAmount, List<TierDraft> tiers, Integer trialDays, String dunningPolicy) {
        this(name, type, currency, amount, interval, includedSeats, seatAmount, unitAmount, tiers, trialDays, dunningPolicy, null);
    }

    /** One tier as asked for; {@code upTo} null means "no upper bound". */
    public record TierDraft(Long upTo, Long unitAmount, Long flatAmount) {}
}
