package tollgate.invoicing;

/** A coupon's reduction on an invoice (SPEC §2: applies to the subscription's lines, before tax). */
public record Discount(String coupon, String subscription, String description, long amount) {}
