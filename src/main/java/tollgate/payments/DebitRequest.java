package tollgate.payments;

/**
 * One debit of a card asked of a gateway (Stripe calls it a charge; in Tollgate a charge is an amount owed).
 * {@code idempotencyKey} names this debit for good: asked again with the same key, a gateway answers what it answered
 * the first time and moves no more money (Stripe's idempotency keys; the sandbox keeps a ledger). {@code paymentMethodId} is Tollgate's id of the card; {@code token} the gateway's.
 */
public record DebitRequest(String idempotencyKey, String paymentMethodId, String token, long amount, String currency,
                           String description) {
    public DebitRequest {
        if (idempotencyKey == null || idempotencyKey.isBlank()) throw new IllegalArgumentException("idempotencyKey is required");
        if (token == null || token.isBlank()) throw new IllegalArgumentException("token is required");
        if (amount <= 0) throw new IllegalArgumentException("amount must be positive");
    }
}
