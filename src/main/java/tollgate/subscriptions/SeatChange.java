package tollgate.subscriptions;

import java.time.Instant;
import java.time.ZoneId;
import tollgate.catalog.Plan;
import tollgate.catalog.PlanType;
import tollgate.core.Problem;

/**
 * SPEC §2 seat changes. An increase takes effect at once and its extra billable seats are charged for the days
 * left of the current period, on the next invoice: {@code extra × seat_amount × remaining days / days in the
 * period} (a short first period counts the full period's days, {@link Subscription#pricedDays}), rounded half-even. A decrease waits for the next period ({@code pending_seats}); nothing is credited.
 * During a trial nothing is billed, so the count simply changes. Only seats above the included ones are billable.
 *
 * @param proration the line to bill later, or null when nothing is owed
 * @param changed whether anything the API shows changed (an event is recorded only then)
 */
public record SeatChange(Subscription subscription, PendingCharge proration, boolean changed) {

    public static SeatChange to(Subscription s, Plan plan, ZoneId zone, int seats, Instant now) {
        if (s.planType() != PlanType.SEATS)
            throw Problem.invalid("seats", "parameter_not_applicable",
                    "'seats' applies to subscriptions of seats plans only, not of a " + s.planType().wire() + " plan");
        int wanted = SubscriptionRules.checkedSeats(seats);
        int current = s.seats();
        if (s.isInTrial()) {
            Subscription changed = s.withSeats(wanted, null);
            return new SeatChange(changed, null, !changed.equals(s));
        }
        if (wanted <= current) {
            // A decrease (or a return to the current count, which withdraws a pending decrease).
            Integer pending = wanted == current ? null : wanted;
            Subscription changed = s.withSeats(current, pending);
            return new SeatChange(changed, null, !changed.equals(s));
        }
        Subscription changed = s.withSeats(wanted, null);
        long extra = billableSeats(plan, wanted) - billableSeats(plan, current);
        if (extra <= 0) return new SeatChange(changed, null, true);
        PendingCharge proration = prorated(s, plan, zone, extra, plan.seatAmount(),
                extra + " extra seat" + (extra == 1 ? "" : "s"), now);
        return new SeatChange(changed, proration, true);
    }

    /**
     * The line charging {@code quantity × unitAmount} for the days left of {@code s}'s current period from {@code now}
     * ({@link SeatProration}), described as "plan: what from date, remaining of period days"; null when nothing is
     * owed. Seat increases and plan upgrades ({@link PlanChange}) are both charged through here.
     */
    static PendingCharge prorated(Subscription s, Plan plan, ZoneId zone, long quantity, long unitAmount, String what, Instant now) {
        int periodDays = s.pricedDays(zone);
        int remaining = SeatProration.calendarDays(now, s.currentPeriodEnd(), zone);
        if (quantity <= 0 || remaining <= 0 || periodDays <= 0) return null;
        long amount = SeatProration.amount(quantity, unitAmount, remaining, periodDays);
        if (amount == 0) return null;
        String description = plan.name() + ": " + what + " from "
                + now.atZone(zone).toLocalDate() + ", " + remaining + " of " + periodDays + " days";
        return new PendingCharge(0, s.id(), s.account(), plan.id(), description, now,
                s.currentPeriodEnd(), quantity, remaining, amount, now, billedAt(s, zone, now));
    }

    /** When a line arising at {@code now} is billed: the next monthly date, the period's end for a monthly plan, the next month of a yearly one. */
    public static Instant billedAt(Subscription s, ZoneId zone, Instant now) {
        return Anniversary.firstAfter(s.billing().anchor(), zone, now);
    }

    /** Seats above the plan's included ones. */
    public static long billableSeats(Plan plan, int seats) {
        return Math.max(0, (long) seats - plan.includedSeats());
    }
}
