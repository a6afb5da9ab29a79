package tollgate.payments;

/**
 * How one debit of a payment method ends. Decline reasons are Stripe's decline codes
 * ({@code generic_decline}, {@code insufficient_funds}, {@code expired_card}, {@code lost_card}), so that
 * the sandbox and Stripe report failures in the same words. Only Stripe answers the last two: a card whose bank wants
 * the customer present ({@code authentication_required}) and a method Stripe no longer has or cannot charge
 * ({@code invalid_payment_method}).
 */
public sealed interface DebitOutcome {
    String GENERIC_DECLINE = "generic_decline";
    String INSUFFICIENT_FUNDS = "insufficient_funds";
    String EXPIRED_CARD = "expired_card";
    String LOST_CARD = "lost_card";
    String AUTHENTICATION_REQUIRED = "authentication_required";
    String INVALID_PAYMENT_METHOD = "invalid_payment_method";

    record Succeeded() implements DebitOutcome {}

    record Declined(String reason) implements DebitOutcome {}

    static DebitOutcome succeeded() { return new Succeeded(); }

    static DebitOutcome declined(String reason) { return new Declined(reason); }
}
