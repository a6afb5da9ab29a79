package tollgate.catalog;

import java.util.List;

/**
 * What a quantity of usage costs under a usage plan, in minor units of the plan's currency. Exact: integer
 * arithmetic only, and an amount too large for a {@code long} fails ({@link ArithmeticException}) instead of wrapping.
 */
public final class UsagePricing {
    private UsagePricing() {}

    /** {@code quantity × unit_amount}, or the graduated price under the plan's tiers. */
    public static long price(Plan plan, long quantity) {
        if (plan.type() != PlanType.USAGE)
            throw new IllegalArgumentException("only usage plans price usage, not a " + plan.type().wire() + " plan");
        if (quantity < 0) throw new IllegalArgumentException("quantity must not be negative: " + quantity);
        if (plan.unitAmount() != null) return Math.multiplyExact(quantity, plan.unitAmount());
        return graduated(plan.tiers(), quantity);
    }

    /**
     * Graduated pricing: each unit costs the rate of the tier it falls in (units 1..up_to of the first tier,
     * then up_to+1.. of the next, and so on), and each tier that at least one unit reaches adds its flat amount
     * once. A quantity of 0 reaches no tier and costs 0.
     */
    public static long graduated(List<Tier> tiers, long quantity) {
        long total = 0;
        for (Part part : parts(tiers, quantity))
            total = Math.addExact(total, Math.addExact(Math.multiplyExact(part.units(), part.unitAmount()), part.flatAmount()));
        return total;
    }

    /** The units of a quantity that fall in one tier, at its rate, and the tier's flat amount. */
    public record Part(long units, long unitAmount, long flatAmount) {}

    /** The tiers a quantity reaches, each with the units that fall in it (what an invoice line shows, SPEC §4). */
    public static List<Part> parts(List<Tier> tiers, long quantity) {
        if (quantity < 0) throw new IllegalArgumentException("quantity must not be negative: " + quantity);
        List<Part> parts = new java.util.ArrayList<>();
        long counted = 0;
        for (Tier tier : tiers) {
            if (counted >= quantity) break;
            long upTo = tier.upTo() == null ? quantity : Math.min(tier.upTo(), quantity);
            parts.add(new Part(upTo - counted, tier.unitAmount(), tier.flatAmount()));
            counted = upTo;
        }
        return parts;
    }
}
