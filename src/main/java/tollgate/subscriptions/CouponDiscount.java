package tollgate.subscriptions;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import tollgate.catalog.Coupon;
import tollgate.invoicing.Discount;
import tollgate.invoicing.InvoiceLine;

/**
 * SPEC §2 discounts: a subscription's coupon reduces the sum of that subscription's lines on an invoice, before
 * tax. {@code percent_off}: that sum × percent / 100, rounded half-even; {@code amount_off}: at most the sum.
 * Durations: {@code once} discounts the subscription's first invoice only; {@code repeating} the invoices dated
 * less than {@code duration_in_months} months (the anniversary rule) after the subscription started;
 * {@code forever} every one.
 */
public final class CouponDiscount {
    private CouponDiscount() {}

    /** The discount on {@code lines} (all of one subscription) billed at {@code billingDate}, if the coupon gives one. */
    public static Optional<Discount> on(Coupon coupon, Subscription s, ZoneId zone, Instant billingDate, List<InvoiceLine> lines) {
        if (!applies(coupon, s, zone, billingDate)) return Optional.empty();
        long subtotal = 0;
        for (InvoiceLine line : lines) subtotal = Math.addExact(subtotal, line.amount());
        long amount = amount(coupon, subtotal);
        if (amount <= 0) return Optional.empty();
        return Optional.of(new Discount(coupon.id(), s.id(), describe(coupon), amount));
    }

    /** {@code s.billing().invoices()} counts the invoices before this one. */
    public static boolean applies(Coupon coupon, Subscription s, ZoneId zone, Instant billingDate) {
        return switch (coupon.duration()) {
            case ONCE -> s.billing().invoices() == 0;
            case REPEATING -> billingDate.isBefore(Anniversary.monthsAfter(s.createdAt(), zone, coupon.durationInMonths()));
            case FOREVER -> true;
        };
    }

    public static long amount(Coupon coupon, long subtotal) {
        if (subtotal <= 0) return 0;
        if (coupon.percentOff() != null)
            return BigDecimal.valueOf(subtotal).multiply(coupon.percentOff())
                    .divide(BigDecimal.valueOf(100), 0, RoundingMode.HALF_EVEN).longValueExact();
        return Math.min(coupon.amountOff(), subtotal);
    }

    /**
     * What the customer reads on the invoice: "Launch: 25% off", "USD 5.00 off". A coupon without a name is described
     * by what it takes off, never by its id (as Stripe).
     */
    static String describe(Coupon coupon) {
        String off = coupon.percentOff() != null ? coupon.percentOff().toPlainString() + "% off"
                : tollgate.invoicing.AmountFormat.withCode(coupon.amountOff(), coupon.currency()) + " off";
        return coupon.name() == null || coupon.name().isBlank() ? off : coupon.name() + ": " + off;
    }
}
