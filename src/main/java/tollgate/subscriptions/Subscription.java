package tollgate.subscriptions;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import tollgate.catalog.BillingInterval;
import tollgate.catalog.PlanType;
import tollgate.invoicing.PaymentTerms;

/**
 * A subscription of an account to a flat, seats or usage plan (the API shows it as {@code tollgate.api.SubscriptionJson}),
 * plus what billing keeps about it and the API does not show ({@link Billing}). {@code seats} is set for seats plans only; {@code pendingSeats} is a
 * decrease that takes effect at the next period. The current period of a trialing subscription is its trial.
 */
public record Subscription(String id, String account, String plan, SubscriptionStatus status,
                           Integer seats, Integer pendingSeats, String coupon, Instant currentPeriodStart,
                           Instant currentPeriodEnd, Instant trialEnd, boolean cancelAtPeriodEnd, Instant canceledAt,
                           Instant createdAt, PaymentTerms terms, Map<String, String> metadata,
                           Billing billing) {

    public Subscription {
        if (metadata == null) metadata = Map.of();
    }

    /**
     * {@code anchor}: the instant every billing date is computed from (signup, or the trial's end).
     * {@code nextBillingAt}: when the billing run next bills this subscription (null: never again), which is
     * {@code nextOffset} months after the anchor. {@code invoices}: how many invoices carried its lines.
     * {@code freePeriods}: how many of its next billed periods are free ({@link FreePeriods}, decision 049), and why.
     * {@code pendingPlan}: the plan it moves to at its next period's start ({@link PlanChange}, decision 052), or null.
     */
    public record Billing(PlanType planType, BillingInterval interval, Instant anchor, Instant nextBillingAt,
                          int nextOffset, int invoices, int freePeriods, String freeReason, String pendingPlan) {
        public Billing(PlanType planType, BillingInterval interval, Instant anchor, Instant nextBillingAt, int nextOffset, int invoices) {
            this(planType, interval, anchor, nextBillingAt, nextOffset, invoices, 0, null, null);
        }

        public Billing(PlanType planType, BillingInterval interval, Instant anchor, Instant nextBillingAt,
                       int nextOffset, int invoices, int freePeriods, String freeReason) {
            this(planType, interval, anchor, nextBillingAt, nextOffset, invoices, freePeriods, freeReason, null);
        }
    }

    public Subscription(String id, String account, String plan, SubscriptionStatus status, Integer seats,
                        Integer pendingSeats, String coupon, Instant currentPeriodStart, Instant currentPeriodEnd,
                        Instant trialEnd, boolean cancelAtPeriodEnd, Instant canceledAt, Instant createdAt, PaymentTerms terms,
                        Billing billing) {
        this(id, account, plan, status, seats, pendingSeats, coupon, currentPeriodStart, currentPeriodEnd,
                trialEnd, cancelAtPeriodEnd, canceledAt, createdAt, terms, Map.of(), billing);
    }

    /** The instant every billing date is computed from (Stripe's {@code billing_cycle_anchor}). */
    public Instant billingCycleAnchor() {
        return billing.anchor();
    }

    public boolean isCanceled() {
        return status == SubscriptionStatus.CANCELED;
    }

    /**
     * Still in its trial: the plan's {@code trial_days} made the current period, and the first paid one starts at its
     * end. Not a short first period up to a later anchor ({@code billing_cycle_anchor}, or a yearly plan's, decision
     * 022): that period is paid, its usage, seat increases and upgrades billed like any other's (decision 085).
     */
    public boolean isInTrial() {
        return trialEnd != null && currentPeriodStart.isBefore(trialEnd);
    }

    /**
     * The days the current period's price is for, in {@code zone}: the period's own, except for a short first period
     * up to a later anchor, which is priced as part of the full period it is cut from, as its first charge was
     * ({@link SubscriptionRules#firstPeriod}): a seat bought later in it costs what one bought at signup does.
     */
    public int pricedDays(ZoneId zone) {
        int own = SeatProration.calendarDays(currentPeriodStart, currentPeriodEnd, zone);
        if (!currentPeriodStart.equals(createdAt) || isInTrial()) return own;
        long k = Anniversary.monthsElapsed(billing.anchor(), zone, currentPeriodEnd);
        if (k < 0 || !Anniversary.monthsAfter(billing.anchor(), zone, k).equals(currentPeriodEnd)) return own;
        Instant fullStart = Anniversary.monthsAfter(billing.anchor(), zone, k - Anniversary.monthsPerPeriod(billing.interval()));
        return fullStart.isBefore(currentPeriodStart) ? SeatProration.calendarDays(fullStart, currentPeriodEnd, zone) : own;
    }

    public PlanType planType() {
        return billing.planType();
    }

    // ---- changes (pure: each answers the changed subscription) ----

    Subscription withSeats(Integer newSeats, Integer newPending) {
        return new Subscription(id, account, plan, status, newSeats, newPending, coupon, currentPeriodStart,
                currentPeriodEnd, trialEnd, cancelAtPeriodEnd, canceledAt, createdAt, terms, metadata, billing);
    }

    Subscription withCancelAtPeriodEnd(boolean cancel) {
        return new Subscription(id, account, plan, status, seats, pendingSeats, coupon, currentPeriodStart,
                currentPeriodEnd, trialEnd, cancel, canceledAt, createdAt, terms, metadata, billing);
    }

    /** Canceled at {@code at}; {@code periodEnd} is where its current period now ends, {@code next} what is left to bill. */
    Subscription canceled(Instant at, Instant periodEnd, Instant next) {
        return new Subscription(id, account, plan, SubscriptionStatus.CANCELED, seats, pendingSeats, coupon,
                currentPeriodStart, periodEnd, trialEnd, false, at, createdAt, terms, metadata,
                new Billing(billing.planType(), billing.interval(), billing.anchor(), next, billing.nextOffset(), billing.invoices(),
                        billing.freePeriods(), billing.freeReason(), billing.pendingPlan()));
    }

    /** The next period [start, end), to be billed next at {@code next} ({@code offset} months after the anchor). */
    Subscription inPeriod(SubscriptionStatus newStatus, Integer newSeats, Instant start, Instant end, Instant next, int offset) {
        return new Subscription(id, account, plan, newStatus, newSeats, null, coupon, start, end, trialEnd,
                cancelAtPeriodEnd, canceledAt, createdAt, terms, metadata,
                new Billing(billing.planType(), billing.interval(), billing.anchor(), next, offset, billing.invoices(),
                        billing.freePeriods(), billing.freeReason()));
    }

    /**
     * On {@code newPlan} now (its type and interval), with these seats; {@code newPendingPlan} is a change that waits
     * for the next period (null: none).
     */
    Subscription withPlan(String newPlan, PlanType type, BillingInterval interval, Integer newSeats, Integer newPending,
                          String newPendingPlan) {
        return new Subscription(id, account, newPlan, status, newSeats, newPending, coupon, currentPeriodStart,
                currentPeriodEnd, trialEnd, cancelAtPeriodEnd, canceledAt, createdAt, terms, metadata,
                new Billing(type, interval, billing.anchor(), billing.nextBillingAt(), billing.nextOffset(), billing.invoices(),
                        billing.freePeriods(), billing.freeReason(), newPendingPlan));
    }

    /** The plan it moves to at its next period's start (decision 052), or null. */
    public String pendingPlan() {
        return billing.pendingPlan();
    }

    /** The same subscription in another state (dunning's past due, suspended, and back). */
    Subscription withStatus(SubscriptionStatus newStatus) {
        return new Subscription(id, account, plan, newStatus, seats, pendingSeats, coupon, currentPeriodStart,
                currentPeriodEnd, trialEnd, cancelAtPeriodEnd, canceledAt, createdAt, terms, metadata, billing);
    }

    /** The tenant's own key/values (already checked by {@link tollgate.core.Metadata}). */
    public Subscription withMetadata(Map<String, String> newMetadata) {
        return new Subscription(id, account, plan, status, seats, pendingSeats, coupon, currentPeriodStart,
                currentPeriodEnd, trialEnd, cancelAtPeriodEnd, canceledAt, createdAt, terms, newMetadata, billing);
    }

    /** One more invoice carried its lines. */
    public Subscription invoiced() {
        return new Subscription(id, account, plan, status, seats, pendingSeats, coupon, currentPeriodStart,
                currentPeriodEnd, trialEnd, cancelAtPeriodEnd, canceledAt, createdAt, terms, metadata,
                new Billing(billing.planType(), billing.interval(), billing.anchor(), billing.nextBillingAt(),
                        billing.nextOffset(), billing.invoices() + 1, billing.freePeriods(), billing.freeReason(),
                        billing.pendingPlan()));
    }

    /** {@code periods} more free periods ({@code reason} replaces the last one's), or one fewer when {@code periods} is -1. */
    Subscription withFreePeriods(int periods, String reason) {
        int left = billing.freePeriods() + periods;
        return new Subscription(id, account, plan, status, seats, pendingSeats, coupon, currentPeriodStart,
                currentPeriodEnd, trialEnd, cancelAtPeriodEnd, canceledAt, createdAt, terms, metadata,
                new Billing(billing.planType(), billing.interval(), billing.anchor(), billing.nextBillingAt(),
                        billing.nextOffset(), billing.invoices(), left, left == 0 ? null : reason,
                        billing.pendingPlan()));
    }
}
