package tollgate.payments;

/**
 * A gateway's answer to a refund. {@code PENDING}: not final yet, or the gateway could not tell (a timeout, a 5xx); it
 * is asked again later with the same idempotency key. {@code FAILED} carries a reason: {@code charge_not_refundable}
 * (the charge is unknown, not succeeded, or already given back), {@code amount_too_large}, or the gateway's own
 * ({@code expired_or_canceled_card}, {@code lost_or_stolen_card}, {@code declined}, …). Messages hold codes and ids only.
 */
public record RefundResult(Status status, String gatewayId, String failureReason, String message) {
    public enum Status { SUCCEEDED, PENDING, FAILED }

    public static final String CHARGE_NOT_REFUNDABLE = "charge_not_refundable";
    public static final String AMOUNT_TOO_LARGE = "amount_too_large";
    public static final String UNSUPPORTED = "refunds_unsupported";

    public static RefundResult succeeded(String gatewayId) {
        return new RefundResult(Status.SUCCEEDED, gatewayId, null, null);
    }

    public static RefundResult pending(String gatewayId, String message) {
        return new RefundResult(Status.PENDING, gatewayId, null, message);
    }

    public static RefundResult failed(String gatewayId, String reason, String message) {
        return new RefundResult(Status.FAILED, gatewayId, reason, message);
    }
}
