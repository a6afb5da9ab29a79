package tollgate.api;

import java.time.Instant;
import tollgate.payments.Payment;
import tollgate.payments.PaymentAttempt;

/** A payment as the API shows it (openapi fragment {@code payments}). */
public record PaymentJson(String id, String object, String invoice, String account, long amount, String currency, String method,
                          String reference, String paymentAttempt, Instant createdAt) {
    static PaymentJson of(Payment p) {
        return new PaymentJson(p.id(), "payment", p.invoice(), p.account(), p.amount(), p.currency(), p.method(), p.reference(),
                p.paymentAttempt(), p.createdAt());
    }

    /** One charge of an invoice to one payment method; its idempotency key stays inside. */
    public record AttemptJson(String id, String object, String invoice, String account, int attempt, int position,
                              String paymentMethod, String gateway, long amount, String currency, PaymentAttempt.Status status,
                              String declineReason, String gatewayId, PaymentAttempt.Reason reason, Instant createdAt,
                              Instant resolvedAt) {
        static AttemptJson of(PaymentAttempt a) {
            return new AttemptJson(a.id(), "payment_attempt", a.invoice(), a.account(), a.attempt(), a.position(), a.paymentMethod(),
                    a.gateway(), a.amount(), a.currency(), a.status(), a.declineReason(), a.gatewayId(), a.reason(), a.createdAt(),
                    a.resolvedAt());
        }
    }
}
