package tollgate.payments;

/**
 * How one charge to a payment method ends. Decline reasons are Stripe's decline codes
 * ({@code generic_decline}, {@code insufficient_funds}, {@code expired_card}, {@code lost_card}), so that
 * the sandbox and Stripe report failures in the same words.
 */
public sealed interface ChargeOutcome {
    String GENERIC_DECLINE = "generic_decline";
    String INSUFFICIENT_FUNDS = "insufficient_funds";
    String EXPIRED_CARD = "expired_card";
    String LOST_CARD = "lost_card";

    record Succeeded() implements ChargeOutcome {}

    record Declined(String reason) implements ChargeOutcome {}

    static ChargeOutcome succeeded() { return new Succeeded(); }

    static ChargeOutcome declined(String reason) { return new Declined(reason); }
}
