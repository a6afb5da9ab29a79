package tollgate.api;

import java.time.Instant;
import java.util.Map;
import tollgate.invoicing.PaymentTerms;
import tollgate.subscriptions.Subscription;
import tollgate.subscriptions.SubscriptionStatus;

/**
 * A subscription as the API shows it (SPEC §2; openapi fragment {@code subscriptions}): its payment terms inline,
 * {@code pending_plan} a plan change waiting for the next period (decision 052), the billing anchor last (Stripe's {@code billing_cycle_anchor}); what billing keeps besides is not shown.
 */
public record SubscriptionJson(String id, String object, String account, String plan, SubscriptionStatus status,
                               Integer seats, Integer pendingSeats, String pendingPlan, String coupon, Instant currentPeriodStart,
                               Instant currentPeriodEnd, Instant trialEnd, boolean cancelAtPeriodEnd, Instant canceledAt,
                               Instant createdAt, PaymentTerms.Method collectionMethod, Integer daysUntilDue,
                               Map<String, String> metadata, Instant billingCycleAnchor) {

    public static SubscriptionJson of(Subscription s) {
        return new SubscriptionJson(s.id(), "subscription", s.account(), s.plan(), s.status(), s.seats(), s.pendingSeats(), s.pendingPlan(),
                s.coupon(), s.currentPeriodStart(), s.currentPeriodEnd(), s.trialEnd(), s.cancelAtPeriodEnd(), s.canceledAt(),
                s.createdAt(), s.terms() == null ? null : s.terms().collectionMethod(), s.terms() == null ? null : s.terms().daysUntilDue(),
                s.metadata(), s.billingCycleAnchor());
    }
}
