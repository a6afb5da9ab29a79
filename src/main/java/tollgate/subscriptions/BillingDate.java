package tollgate.subscriptions;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import tollgate.catalog.Plan;
import tollgate.catalog.PlanType;
import tollgate.catalog.UsagePricing;
import tollgate.invoicing.AmountFormat;
import tollgate.invoicing.InvoiceLine;

/**
 * What a subscription bills on its billing date T ({@code nextBillingAt}) and how it moves on (SPEC §2). Flat
 * and seats plans bill the period that starts at T, in advance; usage plans bill the cycle that ends at T, in
 * arrears. Either way the next date is computed from the anchor. A trial's end bills the first paid period (or
 * starts the first usage cycle, the trial's usage being free); a cancellation at the period's end bills nothing
 * more in advance and ends the subscription at T.
 *
 * @param event {@code subscription.updated} or {@code .canceled} when T changed what the API shows beyond the
 *              period (renewals stay silent), else null
 */
public record BillingDate(Subscription subscription, List<InvoiceLine> lines, String event) {
    public static final String UPDATED = "subscription.updated";
    public static final String CANCELED = "subscription.canceled";

    /**
     * A flat or seats subscription at T: [T, next date) in advance, with pending seat decreases and a pending plan
     * change (decision 052) taking effect; {@code plan} is the one it bills from T: its pending plan if it has one.
     */
    public static BillingDate inAdvance(Subscription s, Plan plan, ZoneId zone, Instant t) {
        if (s.cancelAtPeriodEnd()) return new BillingDate(s.canceled(t, t, null), List.of(), CANCELED);
        Subscription before = s;
        if (s.pendingPlan() != null)
            s = s.withPlan(plan.id(), plan.type(), plan.interval(), s.seats(), s.pendingSeats(), null);
        int offset = s.billing().nextOffset() + Anniversary.monthsPerPeriod(s.billing().interval());
        Instant end = Anniversary.monthsAfter(s.billing().anchor(), zone, offset);
        Integer seats = s.pendingSeats() != null ? s.pendingSeats() : s.seats();
        SubscriptionStatus status = s.status() == SubscriptionStatus.TRIALING ? SubscriptionStatus.ACTIVE : s.status();
        Subscription next = s.inPeriod(status, seats, t, end, end, offset);

        List<InvoiceLine> lines = new ArrayList<>(2);
        lines.add(new InvoiceLine("subscription", plan.name() + ", " + s.billing().interval().wire() + "ly", plan.id(), s.id(),
                null, null, null, t, end, 1, null, plan.amount()));
        if (plan.type() == PlanType.SEATS) {
            long extra = SeatChange.billableSeats(plan, seats);
            lines.add(new InvoiceLine("seats", plan.name() + ": " + seats + (seats == 1 ? " seat, " : " seats, ") + plan.includedSeats() + " included, "
                    + extra + " extra", plan.id(), s.id(), null, null, null, t, end, extra, null,
                    Math.multiplyExact(extra, plan.seatAmount())));
        }
        boolean changed = status != before.status() || !java.util.Objects.equals(seats, before.seats()) || before.pendingPlan() != null;
        return new BillingDate(next, lines, changed ? UPDATED : null);
    }

    /**
     * A usage subscription at the end T of its cycle: the cycle's {@code quantity} priced by the plan; then the
     * next cycle, unless the subscription ends here (canceled now, which moved T to the cancellation, or at the
     * period's end). A cycle priced above what one line may carry ({@link InvoiceLine#MAX_AMOUNT}; a cycle's usage
     * has no cap, being the sum of any number of events) throws {@link ArithmeticException}, as one past a
     * {@code long} does: it cannot be billed.
     */
    public static BillingDate inArrears(Subscription s, Plan plan, ZoneId zone, Instant t, long quantity) {
        List<InvoiceLine> lines = s.isInTrial() ? List.of()
                : List.of(new InvoiceLine("usage", usageDescription(plan, quantity),
                        plan.id(), s.id(), null, null, null, s.currentPeriodStart(), t, quantity, null, usageAmount(plan, quantity)));
        if (s.isCanceled()) return new BillingDate(s.canceled(s.canceledAt(), s.currentPeriodEnd(), null), lines, null);
        if (s.cancelAtPeriodEnd()) return new BillingDate(s.canceled(t, t, null), lines, CANCELED);
        int offset = s.billing().nextOffset() + 1;
        Instant end = Anniversary.monthsAfter(s.billing().anchor(), zone, offset);
        SubscriptionStatus status = s.status() == SubscriptionStatus.TRIALING ? SubscriptionStatus.ACTIVE : s.status();
        return new BillingDate(s.inPeriod(status, s.seats(), t, end, end, offset), lines,
                status != s.status() ? UPDATED : null);
    }

    /**
     * {@code Bandwidth: 6,145 units}, and under tiers how they were priced, so that the line can be checked (SPEC §4):
     * {@code (1,000 × 0.10 + 4,000 × 0.07 + 1,145 × 0.05)}, a tier's flat amount as {@code + 2.00 flat}.
     */
    static String usageDescription(Plan plan, long quantity) {
        StringBuilder d = new StringBuilder(plan.name()).append(": ").append(grouped(quantity)).append(quantity == 1 ? " unit" : " units");
        if (plan.unitAmount() != null || quantity == 0) return d.toString();
        StringJoiner parts = new StringJoiner(" + ", " (", ")");
        for (UsagePricing.Part p : UsagePricing.parts(plan.tiers(), quantity)) {
            parts.add(grouped(p.units()) + " × " + AmountFormat.plain(p.unitAmount(), plan.currency()));
            if (p.flatAmount() != 0) parts.add(AmountFormat.plain(p.flatAmount(), plan.currency()) + " flat");
        }
        return d.append(parts).toString();
    }

    private static String grouped(long n) {
        return String.format(java.util.Locale.ROOT, "%,d", n);
    }

    private static long usageAmount(Plan plan, long quantity) {
        long amount = UsagePricing.price(plan, quantity);
        if (amount > InvoiceLine.MAX_AMOUNT)
            throw new ArithmeticException("overflow: " + quantity + " units cost " + amount + ", more than one invoice line carries (" + InvoiceLine.MAX_AMOUNT + ")");
        return amount;
    }
}
