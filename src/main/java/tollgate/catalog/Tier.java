package tollgate.catalog;

/**
 * One step of a graduated usage price: units up to and including {@code upTo} (null: no upper bound) that
 * were not counted by an earlier tier cost {@code unitAmount} each, and reaching the tier adds {@code flatAmount}
 * once. Amounts are minor units of the plan's currency.
 */
public record Tier(Long upTo, long unitAmount, long flatAmount) {}
