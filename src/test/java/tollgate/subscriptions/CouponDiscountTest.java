package tollgate.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import tollgate.catalog.BillingInterval;
import tollgate.catalog.Coupon;
import tollgate.catalog.CouponDuration;
import tollgate.catalog.PlanType;
import tollgate.invoicing.InvoiceLine;

/** SPEC §2 discounts on a subscription's lines: percent (half-even) or amount (at most the lines), by duration. */
class CouponDiscountTest {
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final Instant SIGNUP = Instant.parse("2030-01-04T09:00:00Z");

    private static Coupon percent(int p, CouponDuration d, Integer months) {
        return percent(java.math.BigDecimal.valueOf(p), d, months);
    }

    private static Coupon percent(java.math.BigDecimal p, CouponDuration d, Integer months) {
        return new Coupon("coupon_p", "Launch", p, null, null, d, months, SIGNUP);
    }

    private static Subscription subscription(int invoicesBefore) {
        return new Subscription("sub_x", "acct_x", "plan_x", SubscriptionStatus.ACTIVE, null, null, "coupon_p", SIGNUP,
                SIGNUP, null, false, null, SIGNUP, tollgate.invoicing.PaymentTerms.CHARGE_AUTOMATICALLY,
                new Subscription.Billing(PlanType.FLAT, BillingInterval.MONTH, SIGNUP, SIGNUP, 0, invoicesBefore));
    }

    private static InvoiceLine line(long amount) {
        return new InvoiceLine("subscription", "x", "plan_x", "sub_x", null, null, null, SIGNUP, SIGNUP, 1, null, amount);
    }

    @Test
    void percentOffIsRoundedHalfEven() {
        Coupon c = percent(15, CouponDuration.FOREVER, null);
        assertThat(CouponDiscount.amount(c, 1250)).isEqualTo(188); // 187.5
        assertThat(CouponDiscount.amount(c, 1150)).isEqualTo(172); // 172.5
        assertThat(CouponDiscount.amount(percent(20, CouponDuration.FOREVER, null), 6500)).isEqualTo(1300);
    }

    @Test
    void percentagesWithDecimalsAreExactBeforeTheOneRounding() {
        // Decision 089: the percentage as written times the lines, rounded half-even once.
        assertThat(CouponDiscount.amount(percent(new java.math.BigDecimal("12.5"), CouponDuration.FOREVER, null), 999)).isEqualTo(125); // 124.875
        assertThat(CouponDiscount.amount(percent(new java.math.BigDecimal("33.33"), CouponDuration.FOREVER, null), 1000)).isEqualTo(333); // 333.3
        assertThat(CouponDiscount.amount(percent(new java.math.BigDecimal("0.01"), CouponDuration.FOREVER, null), 5000)).isZero(); // 0.5
        assertThat(CouponDiscount.amount(percent(new java.math.BigDecimal("0.01"), CouponDuration.FOREVER, null), 15000)).isEqualTo(2); // 1.5
        assertThat(CouponDiscount.amount(percent(new java.math.BigDecimal("99.99"), CouponDuration.FOREVER, null), 10001)).isEqualTo(10000); // 9999.9999
        assertThat(CouponDiscount.describe(percent(new java.math.BigDecimal("12.50"), CouponDuration.FOREVER, null))).isEqualTo("Launch: 12.5% off");
        assertThat(CouponDiscount.describe(percent(new java.math.BigDecimal("100.00"), CouponDuration.FOREVER, null))).isEqualTo("Launch: 100% off");
    }

    @Test
    void amountOffIsAtMostTheSubscriptionsLines() {
        Coupon c = new Coupon("coupon_a", null, null, 500L, "usd", CouponDuration.FOREVER, null, SIGNUP);
        assertThat(CouponDiscount.amount(c, 2500)).isEqualTo(500);
        assertThat(CouponDiscount.amount(c, 300)).isEqualTo(300);
        assertThat(CouponDiscount.amount(c, 0)).isZero();
    }

    @Test
    void onceDiscountsTheFirstInvoiceOnly() {
        Coupon c = percent(50, CouponDuration.ONCE, null);
        assertThat(CouponDiscount.on(c, subscription(0), UTC, SIGNUP, List.of(line(2500)))).get()
                .extracting(d -> d.amount()).isEqualTo(1250L);
        assertThat(CouponDiscount.on(c, subscription(1), UTC, SIGNUP, List.of(line(2500)))).isEmpty();
    }

    @Test
    void repeatingThreeMonthsFromJan4DiscountsJan4Feb4Mar4ButNotApr4() {
        Coupon c = percent(25, CouponDuration.REPEATING, 3);
        for (String date : new String[] {"2030-01-04T09:00:00Z", "2030-02-04T09:00:00Z", "2030-04-04T08:59:59Z"})
            assertThat(CouponDiscount.applies(c, subscription(5), UTC, Instant.parse(date))).as(date).isTrue();
        assertThat(CouponDiscount.applies(c, subscription(5), UTC, Instant.parse("2030-04-04T09:00:00Z"))).isFalse();
    }

    @Test
    void foreverAlwaysAndNothingOnNothing() {
        Coupon c = percent(20, CouponDuration.FOREVER, null);
        assertThat(CouponDiscount.applies(c, subscription(40), UTC, Instant.parse("2040-01-01T00:00:00Z"))).isTrue();
        assertThat(CouponDiscount.on(c, subscription(0), UTC, SIGNUP, List.of(line(0)))).isEmpty();
    }
}
