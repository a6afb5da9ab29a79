package tollgate.subscriptions;

import java.time.Instant;
import java.time.ZoneId;
import tollgate.catalog.Coupon;
import tollgate.catalog.PlanRules;
import tollgate.catalog.Plan;
import tollgate.catalog.PlanType;
import tollgate.core.Ids;
import tollgate.core.Problem;
import tollgate.invoicing.PaymentTerms;
import java.util.List;

/**
 * The rules for a new subscription (SPEC §2): which plans may be subscribed, in which currency, with which coupon
 * and seats; and where its billing starts. The signup instant is the billing anchor; with a trial, the trial's end
 * is (as in Stripe), and nothing is billed before it.
 */
public final class SubscriptionRules {
    /** More seats than any real team has; keeps seats × seat_amount far from overflowing (at most 10^14). */
    public static final int MAX_SEATS = PlanRules.MAX_SEATS;

    private SubscriptionRules() {}

    /**
     * Where a new subscription's billing dates come from: {@code anchor} and the months from it to the first billing date
     * at or after the signup ({@code offset}). A signup's own instant is the anchor by default (offset 0).
     */
    public record Anchor(Instant anchor, int offset) {
        public static Anchor at(Instant signup) {
            return new Anchor(signup, 0);
        }
    }

    /** A new subscription and what its first, short period costs (billed at signup; empty when none). */
    public record Signup(Subscription subscription, List<PendingCharge> firstPeriod) {}

    /** A signup anchored at its own instant, charged automatically (what most tests and scenarios need). */
    public static Subscription subscribe(String accountId, String accountCurrency, ZoneId zone, Plan plan, Integer seats,
                                         Coupon coupon, Instant now) {
        return subscribe(accountId, accountCurrency, zone, plan, seats, coupon, PaymentTerms.CHARGE_AUTOMATICALLY,
                Anchor.at(now), now).subscription();
    }

    /**
     * The anchor a monthly subscription takes (SPEC §2): the one asked for ({@code billing_cycle_anchor}, refused in the
     * past or more than one period ahead: 422 naming the field); else, on an account with a live yearly flat or seats
     * plan whose anchor is {@code yearly}, that plan's monthly dates; else the signup.
     */
    public static Anchor anchor(Plan plan, ZoneId zone, Instant asked, Instant yearly, Instant now) {
        int months = plan.type() == PlanType.USAGE ? 1 : Anniversary.monthsPerPeriod(plan.interval());
        if (asked != null) {
            if (plan.trialDays() > 0)
                throw Problem.invalid("billing_cycle_anchor", "parameter_not_applicable", "Plan " + plan.id()
                        + " has a trial; its end is the billing anchor (SPEC §2 trials)");
            if (asked.isBefore(now))
                throw Problem.invalid("billing_cycle_anchor", "parameter_invalid",
                        "'billing_cycle_anchor' must not be in the past; the clock reads " + now);
            Instant latest = Anniversary.monthsAfter(now, zone, months);
            if (asked.isAfter(latest))
                throw Problem.invalid("billing_cycle_anchor", "parameter_invalid",
                        "'billing_cycle_anchor' must be at most one period ahead, by " + latest);
            return new Anchor(asked, 0);
        }
        if (yearly == null || months != 1 || plan.trialDays() > 0) return Anchor.at(now);
        // The yearly anchor itself, not its next monthly date, stays the anchor: its day of month is kept through the clamp.
        long elapsed = Anniversary.monthsElapsed(yearly, zone, now);
        boolean onADate = elapsed >= 0 && Anniversary.monthsAfter(yearly, zone, elapsed).equals(now);
        return new Anchor(yearly, Math.toIntExact(onADate ? elapsed : elapsed + 1));
    }

    public static Signup subscribe(String accountId, String accountCurrency, ZoneId zone, Plan plan, Integer seats,
                                   Coupon coupon, PaymentTerms terms, Anchor anchor, Instant now) {
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
        String couponId = coupon == null ? null : coupon.id();

        boolean usage = plan.type() == PlanType.USAGE;
        String id = Ids.next("sub");
        if (plan.trialDays() > 0) {
            Instant trialEnd = Anniversary.daysAfter(now, zone, plan.trialDays());
            // The trial is the current period; the first paid period (or usage cycle) starts at its end.
            return new Signup(new Subscription(id, accountId, plan.id(), SubscriptionStatus.TRIALING, startSeats, null,
                    couponId, now, trialEnd, trialEnd, false, null, now, terms,
                    new Subscription.Billing(plan.type(), plan.interval(), trialEnd, trialEnd, 0, 0)), List.of());
        }
        int months = usage ? 1 : Anniversary.monthsPerPeriod(plan.interval());
        Instant first = Anniversary.monthsAfter(anchor.anchor(), zone, anchor.offset());
        if (first.equals(now)) {
            Instant periodEnd = Anniversary.monthsAfter(anchor.anchor(), zone, anchor.offset() + months);
            // Flat and seats plans are billed in advance, at signup; a usage cycle is billed at its end.
            Subscription.Billing billing = usage
                    ? new Subscription.Billing(plan.type(), plan.interval(), anchor.anchor(), periodEnd, anchor.offset() + 1, 0)
                    : new Subscription.Billing(plan.type(), plan.interval(), anchor.anchor(), now, anchor.offset(), 0);
            return new Signup(new Subscription(id, accountId, plan.id(), SubscriptionStatus.ACTIVE, startSeats, null, couponId,
                    now, periodEnd, null, false, null, now, terms, billing), List.of());
        }
        // A short first period, up to the first billing date: a usage cycle like any other (metered, nothing to prorate);
        // for flat and seats plans the amounts prorated by days, billed now.
        Subscription s = new Subscription(id, accountId, plan.id(), SubscriptionStatus.ACTIVE, startSeats, null, couponId,
                now, first, null, false, null, now, terms,
                new Subscription.Billing(plan.type(), plan.interval(), anchor.anchor(), first, anchor.offset(), 0));
        return new Signup(s, usage ? List.of() : firstPeriod(s, plan, zone, anchor, months, now));
    }

    /**
     * The prorated lines of a short first period [now, first date): the plan's amount, and the extra seats', each
     * {@code × remaining days / days of the full period ending at the first date}, half-even (calendar days in the
     * account's zone, as seat changes count them). None when the period is shorter than a day.
     */
    static List<PendingCharge> firstPeriod(Subscription s, Plan plan, ZoneId zone, Anchor anchor, int months, Instant now) {
        Instant first = s.currentPeriodEnd();
        Instant fullStart = Anniversary.monthsAfter(anchor.anchor(), zone, anchor.offset() - months);
        int periodDays = SeatProration.calendarDays(fullStart, first, zone);
        int days = SeatProration.calendarDays(now, first, zone);
        if (days <= 0 || periodDays <= 0) return List.of();
        String of = ", " + days + " of " + periodDays + " days to " + first.atZone(zone).toLocalDate();
        List<PendingCharge> lines = new java.util.ArrayList<>(2);
        lines.add(new PendingCharge(0, s.id(), s.account(), plan.id(), plan.name() + ", first period from "
                + now.atZone(zone).toLocalDate() + of, now, first, 1, days, SeatProration.amount(1, plan.amount(), days, periodDays), now, now));
        if (plan.type() == PlanType.SEATS) {
            long extra = SeatChange.billableSeats(plan, s.seats());
            if (extra > 0)
                lines.add(new PendingCharge(0, s.id(), s.account(), plan.id(), plan.name() + ": " + extra + " extra seat"
                        + (extra == 1 ? "" : "s") + of, now, first, extra, days,
                        SeatProration.amount(extra, plan.seatAmount(), days, periodDays), now, now));
        }
        return lines;
    }

    static int checkedSeats(int seats) {
        if (seats < 0) throw Problem.invalid("seats", "parameter_invalid", "'seats' must not be negative");
        if (seats > MAX_SEATS) throw Problem.invalid("seats", "parameter_invalid", "'seats' must be at most " + MAX_SEATS);
        return seats;
    }
}
