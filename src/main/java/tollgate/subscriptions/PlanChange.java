package tollgate.subscriptions;

import java.time.Instant;
import java.time.ZoneId;
import tollgate.catalog.Plan;
import tollgate.catalog.PlanType;
import tollgate.core.Problem;

/**
 * Decision 052: moving a flat or seats subscription to another plan of the same type and currency. Compared by
 * what a period costs ({@code amount + billable seats × seat_amount}): an upgrade in the same billing interval takes
 * effect at once and its difference is charged for the days left of the current period, the way a seat increase
 * is ({@link SeatChange#prorated}); a downgrade, an equal price or another interval waits for the next period's
 * start ({@code pendingPlan}, with {@code pendingSeats} when seats change with it); nothing is credited. During a
 * trial nothing is billed, so the plan simply changes. Asking for the current plan withdraws a pending change.
 *
 * @param proration the line to bill later, or null when nothing is owed
 * @param changed whether anything the API shows changed (an event is recorded only then)
 */
public record PlanChange(Subscription subscription, PendingCharge proration, boolean changed) {

    /** {@code s} on {@code current} moving to {@code target}, with {@code seats} (null: the seats it has). */
    public static PlanChange to(Subscription s, Plan current, Plan target, Integer seats, ZoneId zone, Instant now) {
        Problem refused = refusal(s, current, target, seats);
        if (refused != null) throw refused;
        if (target.id().equals(s.plan())) {
            Subscription same = s.withPlan(s.plan(), s.planType(), s.billing().interval(), s.seats(), s.pendingSeats(), null);
            return new PlanChange(same, null, !same.equals(s));
        }
        Integer wanted = target.type() != PlanType.SEATS ? null
                : seats != null ? SubscriptionRules.checkedSeats(seats) : s.seats();
        if (s.isInTrial()) {
            Subscription changed = s.withPlan(target.id(), target.type(), target.interval(), wanted, null, null);
            return new PlanChange(changed, null, true);
        }
        if (!atOnce(s, current, target, wanted)) {
            Integer pendingSeats = seats == null ? s.pendingSeats() : wanted.equals(s.seats()) ? null : wanted;
            Subscription changed = s.withPlan(s.plan(), s.planType(), s.billing().interval(), s.seats(), pendingSeats, target.id());
            return new PlanChange(changed, null, !changed.equals(s));
        }
        Subscription changed = s.withPlan(target.id(), target.type(), target.interval(), wanted,
                seats == null ? s.pendingSeats() : null, null);
        PendingCharge proration = SeatChange.prorated(s, target, zone, 1, perPeriod(target, wanted) - perPeriod(current, s.seats()),
                "upgrade from " + current.name(), now);
        return new PlanChange(changed, proration, true);
    }

    /**
     * Why {@code s} on {@code current} may not move to {@code target} with {@code seats} (null: the seats it has), or null
     * when it may. The one place the rules live: {@link #to} throws what this answers, and the console offers only the
     * plans this lets through.
     */
    public static Problem refusal(Subscription s, Plan current, Plan target, Integer seats) {
        if (target.seatsFollowPortalUsers() || current.seatsFollowPortalUsers() && !target.id().equals(current.id())) {
            if (seats != null || current.seatsFollowPortalUsers() != target.seatsFollowPortalUsers())
                return Problem.invalid("plan", "seats_from_portal_users", "Plans " + current.id() + " and " + target.id()
                        + " must both count the account's active portal users as seats, or neither; leave 'seats' out with them");
        }
        if (s.planType() != PlanType.FLAT && s.planType() != PlanType.SEATS)
            return Problem.invalid("plan", "plan_change_not_supported", "Only subscriptions of flat and seats plans change plan; "
                    + "this one is on a " + s.planType().wire() + " plan: cancel it and subscribe the account again");
        if (target.type() != s.planType())
            return Problem.invalid("plan", "plan_type_mismatch", "Plan " + target.id() + " is a " + target.type().wire()
                    + " plan; a subscription of a " + s.planType().wire() + " plan changes to another " + s.planType().wire() + " plan only");
        if (!target.currency().equals(current.currency()))
            return Problem.invalid("plan", "currency_mismatch", "Plan " + target.id() + " is priced in " + target.currency()
                    + "; this subscription bills in " + current.currency());
        if (seats != null && target.type() != PlanType.SEATS)
            return Problem.invalid("seats", "parameter_not_applicable", "'seats' applies to seats plans only, not to a "
                    + target.type().wire() + " plan");
        return null;
    }

    /**
     * Whether moving to another plan {@code target} with {@code wanted} seats takes effect at once — during a trial, or
     * an upgrade in the same interval — rather than at the next period's start.
     */
    public static boolean atOnce(Subscription s, Plan current, Plan target, Integer wanted) {
        return s.isInTrial() || target.interval() == s.billing().interval() && perPeriod(target, wanted) > perPeriod(current, s.seats());
    }

    /** What one period of {@code plan} costs with {@code seats} (null for a flat plan), before coupons. */
    public static long perPeriod(Plan plan, Integer seats) {
        long base = plan.amount() == null ? 0 : plan.amount();
        if (plan.type() != PlanType.SEATS || seats == null) return base;
        return Math.addExact(base, Math.multiplyExact(SeatChange.billableSeats(plan, seats), plan.seatAmount()));
    }
}
