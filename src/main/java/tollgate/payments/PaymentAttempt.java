package tollgate.payments;

import java.time.Instant;
import tollgate.core.Ids;

/**
 * One charge of an invoice to one payment method (the API writes it as api's {@code PaymentJson.AttemptJson}).
 * {@code attempt} is the payment round it belongs to (SPEC §5: a round tries the primary, then every other method in
 * order) and {@code position} its place in that round. {@code pending} is written before the gateway is asked;
 * {@code unknown} means the gateway could not say; {@code unresolved}: nobody could tell within the time the gateway
 * keeps idempotency keys, so we stopped asking (a person checks the gateway). The idempotency key stays inside: it is
 * how an undecided charge is asked about again.
 */
public record PaymentAttempt(String id, String invoice, String account, int attempt, int position,
                             String paymentMethod, String gateway, long amount, String currency, Status status,
                             String declineReason, String gatewayId, Reason reason, Instant createdAt,
                             Instant resolvedAt, String idempotencyKey) {
    public enum Status {
        PENDING, SUCCEEDED, DECLINED, UNKNOWN, UNRESOLVED;

        public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }

        public static Status parse(String s) { return valueOf(s.toUpperCase(java.util.Locale.ROOT)); }
    }

    /** What started the round: the invoice's issue, a dunning retry, or someone paying the invoice. */
    public enum Reason {
        ISSUE, RETRY, PAY;

        public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }

        public static Reason parse(String s) { return valueOf(s.toUpperCase(java.util.Locale.ROOT)); }
    }

    public static PaymentAttempt pending(String invoiceId, String accountId, int attempt, int position, String methodId,
                                         String gateway, long amount, String currency, Reason reason, Instant now) {
        String id = Ids.next("pa");
        return new PaymentAttempt(id, invoiceId, accountId, attempt, position, methodId, gateway, amount,
                currency, Status.PENDING, null, null, reason, now, null, "tollgate_" + id);
    }

    /** The gateway's answer written down; an unknown answer leaves it unresolved. */
    public PaymentAttempt answered(DebitResult result, Instant now) {
        Status s = switch (result.status()) {
            case SUCCEEDED -> Status.SUCCEEDED;
            case DECLINED -> Status.DECLINED;
            case UNKNOWN -> Status.UNKNOWN;
        };
        return new PaymentAttempt(id, invoice, account, attempt, position, paymentMethod, gateway, amount, currency, s,
                result.declineReason(), result.gatewayId() != null ? result.gatewayId() : gatewayId, reason, createdAt,
                s == Status.UNKNOWN ? null : now, idempotencyKey);
    }

    /** Given up after the gateway could not tell for too long: counted as declined, left for a person to check. */
    public PaymentAttempt givenUp(Instant now) {
        return new PaymentAttempt(id, invoice, account, attempt, position, paymentMethod, gateway, amount, currency,
                Status.UNRESOLVED, "unresolved", gatewayId, reason, createdAt, now, idempotencyKey);
    }

    public boolean isUndecided() {
        return status == Status.PENDING || status == Status.UNKNOWN;
    }

    public boolean succeeded() {
        return status == Status.SUCCEEDED;
    }
}
