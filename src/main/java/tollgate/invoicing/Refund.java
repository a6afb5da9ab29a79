package tollgate.invoicing;

import java.time.Instant;

/**
 * Money a credit note gives back through the gateway that took it (SPEC §4, {@code refund_to: "payment"}): {@code amount}
 * of the card payment {@code payment}, whose charge the gateway knows as {@code gatewayCharge}. {@code status}:
 * {@code pending} (asked, no final answer yet), {@code succeeded} or {@code failed} ({@code failure_reason}).
 * {@code idempotencyKey} names it for good at the gateway; the API ({@code tollgate.api.RefundJson}) does not show it.
 */
public record Refund(String id, String account, String invoice, String creditNote, String payment, long amount,
                     String currency, String status, String failureReason, String gateway, String gatewayCharge,
                     String gatewayRefund, String idempotencyKey, Instant createdAt) {
    public static final String PENDING = "pending";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";

    public static Refund pending(String id, String account, String invoice, String creditNote, String payment, long amount,
                                 String currency, String gateway, String gatewayCharge, Instant now) {
        return new Refund(id, account, invoice, creditNote, payment, amount, currency, PENDING, null, gateway,
                gatewayCharge, null, "refund_" + id, now);
    }

    public boolean isPending() {
        return PENDING.equals(status);
    }

    /** The gateway's answer: {@code succeeded}, {@code failed} with its reason, or still pending (its refund id kept). */
    public Refund answered(String newStatus, String gatewayRefundId, String reason) {
        return new Refund(id, account, invoice, creditNote, payment, amount, currency, newStatus, reason, gateway,
                gatewayCharge, gatewayRefundId != null ? gatewayRefundId : gatewayRefund, idempotencyKey, createdAt);
    }
}
