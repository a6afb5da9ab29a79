package tollgate.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SPEC §2, usage plans: the sum of reported usage × unit_amount, graduated tiers allowed. Exact minor units. */
class UsagePricingTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private static final List<Tier> TWO_TIERS = List.of(new Tier(1000L, 10, 0), new Tier(null, 5, 0));

    private static Plan usage(Long unitAmount, List<Tier> tiers) {
        return new Plan("plan_x", "Metered", PlanType.USAGE, "usd", null, BillingInterval.MONTH, null, null,
                unitAmount, tiers, 0, null, T);
    }

    @Test
    void aPerUnitPlanChargesQuantityTimesUnitAmount() {
        assertThat(UsagePricing.price(usage(7L, null), 1234)).isEqualTo(8_638);
        assertThat(UsagePricing.price(usage(7L, null), 0)).isZero();
    }

    @Test
    void graduatedPricingChargesEachUnitAtTheRateOfItsTier() {
        // 10 × 1000 + 5 × 500
        assertThat(UsagePricing.price(usage(null, TWO_TIERS), 1500)).isEqualTo(12_500);
    }

    @Test
    void theBoundaryUnitBelongsToTheLowerTier() {
        assertThat(UsagePricing.graduated(TWO_TIERS, 1000)).isEqualTo(10_000);
        assertThat(UsagePricing.graduated(TWO_TIERS, 1001)).isEqualTo(10_005);
        assertThat(UsagePricing.graduated(TWO_TIERS, 1)).isEqualTo(10);
    }

    @Test
    void eachReachedTierAddsItsFlatAmountOnce() {
        List<Tier> tiers = List.of(new Tier(100L, 0, 2_000), new Tier(1_000L, 3, 500), new Tier(null, 1, 100));
        assertThat(UsagePricing.graduated(tiers, 50)).isEqualTo(2_000);
        assertThat(UsagePricing.graduated(tiers, 100)).isEqualTo(2_000);
        // 2000 + (3 × 400 + 500)
        assertThat(UsagePricing.graduated(tiers, 500)).isEqualTo(3_700);
        // 2000 + (3 × 900 + 500) + (1 × 4000 + 100)
        assertThat(UsagePricing.graduated(tiers, 5_000)).isEqualTo(9_300);
    }

    @Test
    void noUsageReachesNoTierAndCostsNothing() {
        List<Tier> tiers = List.of(new Tier(10L, 5, 1_000), new Tier(null, 1, 0));
        assertThat(UsagePricing.graduated(tiers, 0)).isZero();
    }

    @Test
    void aSingleOpenTierIsAPerUnitPrice() {
        assertThat(UsagePricing.graduated(List.of(new Tier(null, 25, 0)), 40)).isEqualTo(1_000);
    }

    @Test
    void anAmountBeyondALongFailsInsteadOfWrapping() {
        assertThatThrownBy(() -> UsagePricing.price(usage(Long.MAX_VALUE / 2, null), 3))
                .isInstanceOf(ArithmeticException.class);
    }

    @Test
    void onlyUsagePlansPriceUsageAndQuantitiesAreNotNegative() {
        Plan flat = new Plan("plan_y", "Hosting", PlanType.FLAT, "usd", 1_000L, BillingInterval.MONTH, null, null,
                null, null, 0, null, T);
        assertThatThrownBy(() -> UsagePricing.price(flat, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UsagePricing.price(usage(1L, null), -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
