package tollgate.subscriptions;

import java.util.List;
import java.util.Optional;
import tollgate.invoicing.Discount;
import tollgate.invoicing.InvoiceLine;

/**
 * A free period given to a subscription (decision 049), as a Stripe Billing user expects "three months free": a 100 %
 * discount on the subscription's next billed periods, each invoice still issued with its lines and a discount line
 * "Free period: &lt;reason&gt;" taking them to zero, so the customer sees what the period is worth and why it costs
 * nothing. A period counts when an invoice carries the subscription's renewal line (kind {@code subscription});
 * everything the subscription adds to that invoice (its seats, a proration billed with the renewal) is free too,
 * after the coupon's discount, if any. A proration billed on its own between renewals is not a period and is charged.
 */
public final class FreePeriods {
    /** At most this many periods in one grant (a year of a monthly plan). */
    public static final int MAX = 12;
    public static final int MAX_REASON = 200;

    private FreePeriods() {}

    /** The free period's discount on {@code lines} (the subscription's own), {@code couponOff} already taken off them. */
    public static Optional<Discount> on(Subscription s, List<InvoiceLine> lines, long couponOff) {
        if (s.billing().freePeriods() <= 0 || !renews(lines)) return Optional.empty();
        long subtotal = 0;
        for (InvoiceLine l : lines) subtotal = Math.addExact(subtotal, l.amount());
        long rest = subtotal - couponOff;
        return Optional.of(new Discount(null, s.id(), describe(s.billing().freeReason()), Math.max(rest, 0)));
    }

    /** Whether the lines bill a new period of the subscription (its renewal line). */
    public static boolean renews(List<InvoiceLine> lines) {
        for (InvoiceLine l : lines) if ("subscription".equals(l.kind())) return true;
        return false;
    }

    static String describe(String reason) {
        return reason == null || reason.isBlank() ? "Free period" : "Free period: " + reason;
    }
}
