package tollgate.payments;

/**
 * One refund asked of a gateway: {@code amount} of the earlier successful charge {@code charge} (the gateway's id of
 * it: a Stripe PaymentIntent, a sandbox charge). {@code idempotencyKey} names this refund for good: asked again with it,
 * a gateway answers what it answered first and gives nothing more back. {@code askedBefore}: this refund was asked
 * about before (its answer lost, or pending), and {@code gatewayId} is the gateway's refund id if one came back.
 */
public record RefundRequest(String idempotencyKey, String charge, long amount, String currency, boolean askedBefore,
                            String gatewayId) {
    public RefundRequest {
        if (idempotencyKey == null || idempotencyKey.isBlank()) throw new IllegalArgumentException("idempotencyKey is required");
        if (charge == null || charge.isBlank()) throw new IllegalArgumentException("charge is required");
        if (amount <= 0) throw new IllegalArgumentException("amount must be positive");
    }
}
