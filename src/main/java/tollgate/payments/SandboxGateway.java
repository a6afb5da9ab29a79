package tollgate.payments;

import java.util.Map;
import java.util.Optional;
import tollgate.core.Ids;

/**
 * The built-in gateway for test-mode tenants (SPEC §5). It knows exactly the tokens the spec names; their last4s
 * are those of Stripe's test cards, so a sandbox account looks like one in Stripe's test mode. Every card expires
 * 12/2034. No money moves: {@link #chargeOutcome} says how a charge ends, and a {@link SandboxLedger} remembers each
 * answer by idempotency key, as Stripe does.
 */
public final class SandboxGateway implements Gateway {
    public static final String NAME = "sandbox";
    public static final int EXP_MONTH = 12;
    public static final int EXP_YEAR = 2034;

    /** How every charge to a token ends. */
    private enum Behaviour { SUCCEEDS, DECLINES_ALWAYS, DECLINES_FIRST_CHARGE_ONLY }

    private record SandboxCard(Card card, Behaviour behaviour, String declineReason) {}

    private static final Map<String, SandboxCard> TOKENS = Map.of(
            "tok_visa", succeeds("visa", "4242"),
            "tok_mastercard", succeeds("mastercard", "4444"),
            "tok_chargeDeclined", declines("0002", DebitOutcome.GENERIC_DECLINE),
            "tok_chargeDeclinedInsufficientFunds", declines("9995", DebitOutcome.INSUFFICIENT_FUNDS),
            "tok_chargeDeclinedExpiredCard", declines("0069", DebitOutcome.EXPIRED_CARD),
            "tok_chargeDeclinedLostCard", declines("9987", DebitOutcome.LOST_CARD),
            // Not a Stripe token. 0341 is Stripe's card that attaches fine and then fails to charge,
            // the closest of its cards to "fails its first charge only".
            "tok_chargeDeclinedOnce", new SandboxCard(visa("0341"), Behaviour.DECLINES_FIRST_CHARGE_ONLY, DebitOutcome.GENERIC_DECLINE));

    /** A sandbox card as the portal offers it in test mode: its token, its card, and how its charges end, in plain words. */
    public record TestCard(String token, Card card, String outcome) {}

    /** The sandbox's cards in the order a person picks from them: the ones that pay first. */
    public static java.util.List<TestCard> testCards() {
        return java.util.List.of(
                testCard("tok_visa", "Payments succeed"),
                testCard("tok_mastercard", "Payments succeed"),
                testCard("tok_chargeDeclinedOnce", "The first payment is declined, later ones succeed"),
                testCard("tok_chargeDeclined", "Every payment is declined (generic decline)"),
                testCard("tok_chargeDeclinedInsufficientFunds", "Every payment is declined (insufficient funds)"),
                testCard("tok_chargeDeclinedExpiredCard", "Every payment is declined (expired card)"),
                testCard("tok_chargeDeclinedLostCard", "Every payment is declined (lost card)"));
    }

    private static TestCard testCard(String token, String outcome) {
        return new TestCard(token, TOKENS.get(token).card(), outcome);
    }

    private final SandboxLedger ledger;

    public SandboxGateway(SandboxLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean movesRealMoney() {
        return false;
    }

    @Override
    public Optional<Card> describe(String token) {
        return Optional.ofNullable(token).map(TOKENS::get).map(SandboxCard::card);
    }

    /** Charges by the spec's rules; the same idempotency key always gets its first answer back. */
    @Override
    public DebitResult debit(DebitRequest request) {
        SandboxLedger.Entry entry = ledger.find(request.idempotencyKey()).orElseGet(() -> {
            // Only a card that declines its first charge needs the count of its charges so far: the others go without it.
            SandboxCard card = request.token() == null ? null : TOKENS.get(request.token());
            int previous = card != null && card.behaviour() == Behaviour.DECLINES_FIRST_CHARGE_ONLY ? ledger.chargesOf(request.paymentMethodId()) : 0;
            SandboxLedger.Entry fresh = entryFor(chargeOutcome(request.token(), previous));
            return ledger.record(request.idempotencyKey(), request.paymentMethodId(), request.token(), request.amount(),
                    request.currency(), fresh);
        });
        return result(entry);
    }

    /**
     * {@link #debit} for many requests with one ledger transaction for the new ones (a month-end's first charges come
     * in batches of hundreds): keys the ledger knows get their first answer back; the others are answered by the
     * spec's rules, counting earlier charges of the same card in this batch too, and recorded together. Should
     * another caller have recorded one of the keys meanwhile (the ledger's key is unique), nothing of the batch is
     * recorded and each request is asked alone, which answers that caller's answer. A token the sandbox does not know
     * fails alone the same way.
     */
    /** A batch's charges in one call, one ledger transaction. */
    @Override
    public int debitsPerCall() {
        return Integer.MAX_VALUE;
    }

    @Override
    public java.util.List<DebitResult> debitAll(java.util.List<DebitRequest> requests) {
        if (requests.isEmpty()) return java.util.List.of();
        for (DebitRequest r : requests) if (!TOKENS.containsKey(r.token())) return Gateway.super.debitAll(requests);
        Map<String, SandboxLedger.Entry> answers = new java.util.HashMap<>(
                ledger.findAll(requests.stream().map(DebitRequest::idempotencyKey).distinct().toList()));
        java.util.List<String> countedCards = requests.stream()
                .filter(r -> !answers.containsKey(r.idempotencyKey()) && TOKENS.get(r.token()).behaviour() == Behaviour.DECLINES_FIRST_CHARGE_ONLY)
                .map(DebitRequest::paymentMethodId).distinct().toList();
        Map<String, Integer> charges = new java.util.HashMap<>(countedCards.isEmpty() ? Map.of() : ledger.chargesOfAll(countedCards));
        java.util.List<SandboxLedger.NewCharge> fresh = new java.util.ArrayList<>();
        for (DebitRequest r : requests) {
            if (answers.containsKey(r.idempotencyKey())) continue;
            int previous = 0;
            if (TOKENS.get(r.token()).behaviour() == Behaviour.DECLINES_FIRST_CHARGE_ONLY) {
                previous = charges.getOrDefault(r.paymentMethodId(), 0);
                charges.put(r.paymentMethodId(), previous + 1);
            }
            SandboxLedger.Entry entry = entryFor(chargeOutcome(r.token(), previous));
            answers.put(r.idempotencyKey(), entry);
            fresh.add(new SandboxLedger.NewCharge(r.idempotencyKey(), r.paymentMethodId(), r.token(), r.amount(), r.currency(), entry));
        }
        if (!ledger.recordAll(fresh)) return Gateway.super.debitAll(requests);
        return requests.stream().map(r -> result(answers.get(r.idempotencyKey()))).toList();
    }

    private static SandboxLedger.Entry entryFor(DebitOutcome outcome) {
        return switch (outcome) {
            case DebitOutcome.Succeeded s -> new SandboxLedger.Entry("succeeded", null, Ids.next("ch"));
            case DebitOutcome.Declined d -> new SandboxLedger.Entry("declined", d.reason(), Ids.next("ch"));
        };
    }

    private static DebitResult result(SandboxLedger.Entry entry) {
        return "succeeded".equals(entry.outcome())
                ? DebitResult.succeeded(entry.gatewayId()) : DebitResult.declined(entry.gatewayId(), entry.declineReason());
    }

    /**
     * Gives back part of a charge this sandbox made: refused when the charge is unknown or did not succeed
     * ({@code charge_not_refundable}), or when it would give back more than the charge took ({@code amount_too_large}).
     * The ledger remembers each answer by idempotency key, so asking again gives nothing more back.
     */
    @Override
    public RefundResult refund(RefundRequest request) {
        SandboxLedger.RefundEntry entry = ledger.findRefund(request.idempotencyKey()).orElseGet(() -> {
            long charged = ledger.succeededAmount(request.charge()).orElse(0L);
            long left = charged - ledger.refundedOf(request.charge());
            String failure = charged == 0 ? RefundResult.CHARGE_NOT_REFUNDABLE
                    : request.amount() > left ? RefundResult.AMOUNT_TOO_LARGE : null;
            return ledger.recordRefund(request.idempotencyKey(), request.charge(), request.amount(),
                    new SandboxLedger.RefundEntry(failure == null ? "succeeded" : "failed", failure, Ids.next("re")));
        });
        return "succeeded".equals(entry.outcome()) ? RefundResult.succeeded(entry.gatewayId())
                : RefundResult.failed(entry.gatewayId(), entry.failureReason(), entry.failureReason());
    }

    /**
     * How the next charge to a method holding {@code token} ends, given how many charges that method already
     * had (succeeded or not). Pure: the ledger keeps the count.
     *
     * @throws IllegalArgumentException for a token the sandbox does not know (attaching refuses those)
     */
    public static DebitOutcome chargeOutcome(String token, int previousCharges) {
        SandboxCard sandbox = token == null ? null : TOKENS.get(token);
        if (sandbox == null) throw new IllegalArgumentException("not a sandbox token");
        if (previousCharges < 0) throw new IllegalArgumentException("previousCharges must not be negative");
        return switch (sandbox.behaviour()) {
            case SUCCEEDS -> DebitOutcome.succeeded();
            case DECLINES_ALWAYS -> DebitOutcome.declined(sandbox.declineReason());
            case DECLINES_FIRST_CHARGE_ONLY -> previousCharges == 0
                    ? DebitOutcome.declined(sandbox.declineReason()) : DebitOutcome.succeeded();
        };
    }

    private static SandboxCard succeeds(String brand, String last4) {
        return new SandboxCard(new Card(brand, last4, EXP_MONTH, EXP_YEAR), Behaviour.SUCCEEDS, null);
    }

    private static SandboxCard declines(String last4, String reason) {
        return new SandboxCard(visa(last4), Behaviour.DECLINES_ALWAYS, reason);
    }

    private static Card visa(String last4) {
        return new Card("visa", last4, EXP_MONTH, EXP_YEAR);
    }
}
