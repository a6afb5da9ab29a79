package tollgate.payments;

import java.util.Optional;

/** A payment gateway behind one interface (SPEC §5): the sandbox for test tenants, Stripe for real money. */
public interface Gateway {
    /** The name stored with each payment method, so that a later charge goes to the gateway that knows it. */
    String name();

    /**
     * The card behind {@code token}, or empty when this gateway does not know the token. A gateway that cannot answer
     * now refuses with a {@link tollgate.core.Problem} (503 {@code gateway_unavailable}), never a bare exception.
     */
    Optional<Card> describe(String token);

    /**
     * Debits the card behind the request's token. A decline is an answer, not an exception; so is not knowing
     * (timeouts, 5xx: {@link DebitResult.Status#UNKNOWN}). Asked again with the same idempotency key, answers as the
     * first time without charging again: that is how a charge left unknown, or cut off by a crash, is resolved.
     */
    DebitResult debit(DebitRequest request);

    /**
     * {@link #debit} for each request, answered in the same order, with the same promise per idempotency key. The
     * default asks one at a time (Stripe: one call per charge); a gateway that can record many answers at once (the
     * sandbox: one ledger transaction) overrides it. Throws as {@link #debit} does; the caller then asks one by one.
     */
    /**
     * How many debits one {@link #debitAll} call should carry: 1 (the default) for a gateway asked one call per charge,
     * so that a batch's charges are asked side by side; the sandbox takes a whole batch in one call.
     */
    default int debitsPerCall() {
        return 1;
    }

    default java.util.List<DebitResult> debitAll(java.util.List<DebitRequest> requests) {
        java.util.List<DebitResult> answers = new java.util.ArrayList<>(requests.size());
        for (DebitRequest r : requests) answers.add(debit(r));
        return answers;
    }

    /**
     * Gives back part or all of an earlier successful charge. Like {@link #debit}, never throws for anything the gateway
     * or the network does, and asked again with the same idempotency key answers as the first time without giving back
     * more: a refund is never made twice. A gateway without refunds refuses every one.
     */
    default RefundResult refund(RefundRequest request) {
        return RefundResult.failed(null, RefundResult.UNSUPPORTED, "the " + name() + " gateway makes no refunds");
    }

    /** Whether a charge moves real money; test tenants may only use gateways that do not. */
    default boolean movesRealMoney() {
        return true;
    }
}
