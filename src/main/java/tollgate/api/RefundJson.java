package tollgate.api;

import java.time.Instant;
import tollgate.invoicing.Refund;

/** A refund as the API shows it (openapi fragment {@code refunds}); its gateway idempotency key is not shown. */
public record RefundJson(String id, String object, String account, String invoice, String creditNote, String payment, long amount,
                         String currency, String status, String failureReason, String gateway, String gatewayCharge,
                         String gatewayRefund, Instant createdAt) {
    static RefundJson of(Refund r) {
        return new RefundJson(r.id(), "refund", r.account(), r.invoice(), r.creditNote(), r.payment(), r.amount(), r.currency(),
                r.status(), r.failureReason(), r.gateway(), r.gatewayCharge(), r.gatewayRefund(), r.createdAt());
    }
}
