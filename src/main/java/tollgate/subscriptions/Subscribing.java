package tollgate.subscriptions;

import java.time.Instant;
import java.time.ZoneId;
import tollgate.catalog.Coupon;
import tollgate.catalog.DefiningPlan;
import tollgate.catalog.Plan;
import tollgate.catalog.PlanType;
import tollgate.core.Ids;
import tollgate.core.Problem;

/**
 * The rules for a new subscription (SPEC §2): which plans may be subscribed, in which currency, with which coupon
 * and seats; and where its billing starts. The signup instant is the billing anchor; with a trial, the trial's end
 * is (as in Stripe), and nothing is billed before it.
 */
public final class Subscribing {
    /** More seats than any real team has; keeps seats × seat_amount far from overflowing (at most 10^14). */
    public static final int MAX_SEATS = DefiningPlan.MAX_SEATS;

    private Subscribing() {}

    public static Subscription subscribe(String accountId, String accountCurrency, ZoneId zone, Plan plan, Integer seats,
                                         Coupon coupon, Instant now) {
        if (plan.type() == PlanType.LICENSE)
            throw Problem.invalid("plan", "plan_type_invalid",
                    "Plan " + plan.id() + " is a license plan; licenses are issued (POST /v1/accounts/{id}/licenses), not subscribed");
        if (!plan.currency().equals(accountCurrency))
            throw Problem.invalid("plan", "currency_mismatch",
                    "Plan " + plan.id() + " is priced in " + plan.currency() + " but the account pays in " + accountCurrency);
        if (coupon != null && coupon.amountOff() != null && !coupon.currency().equals(plan.currency()))
            throw Problem.invalid("coupon", "coupon_currency_mismatch",
                    "Coupon " + coupon.id() + " takes " + coupon.currency() + " off, but the plan is priced in " + plan.currency());
        Integer startSeats = null;
        if (plan.type() == PlanType.SEATS) {
            startSeats = seats == null ? plan.includedSeats() : checkedSeats(seats);
        } else if (seats != null) {
            throw Problem.invalid("seats", "parameter_not_applicable", "'seats' applies to seats plans only, not to a "
                    + plan.type().wire() + " plan");
        }

        boolean usage = plan.type() == PlanType.USAGE;
        if (plan.trialDays() > 0) {
            Instant trialEnd = Anniversary.daysAfter(now, zone, plan.trialDays());
            // The trial is the current period; the first paid period (or usage cycle) starts at its end.
            return new Subscription(Ids.next("sub"), accountId, plan.id(), SubscriptionStatus.TRIALING, startSeats, null,
                    coupon == null ? null : coupon.id(), now, trialEnd, trialEnd, false, null, now,
                    new Subscription.Billing(plan.type(), plan.interval(), trialEnd, trialEnd, 0, 0));
        }
        int months = usage ? 1 : Anniversary.monthsPerPeriod(plan.interval());
        Instant periodEnd = Anniversary.monthsAfter(now, zone, months);
        // Flat and seats plans are billed in advance, at signup; a usage cycle is billed at its end.
        Subscription.Billing billing = usage
                ? new Subscription.Billing(plan.type(), plan.interval(), now, periodEnd, 1, 0)
                : new Subscription.Billing(plan.type(), plan.interval(), now, now, 0, 0);
        return new Subscription(Ids.next("sub"), accountId, plan.id(), SubscriptionStatus.ACTIVE, startSeats, null,
                coupon == null ? null : coupon.id(), now, periodEnd, null, false, null, now, billing);
    }

    static int checkedSeats(int seats) {
        if (seats < 0) throw Problem.invalid("seats", "parameter_invalid", "'seats' must not be negative");
        if (seats > MAX_SEATS) throw Problem.invalid("seats", "parameter_invalid", "'seats' must be at most " + MAX_SEATS);
        return seats;
    }
}
