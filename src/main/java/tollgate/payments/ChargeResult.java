package tollgate.payments;

/**
 * A gateway's answer to a charge. {@code UNKNOWN} is the answer of a gateway that could not tell (a timeout, a 5xx,
 * a dropped connection): the charge may or may not have happened, and is resolved later by asking again with the
 * same idempotency key. Decline reasons are those of {@link ChargeOutcome}.
 */
public record ChargeResult(Status status, String gatewayId, String declineReason, String message) {
    public enum Status { SUCCEEDED, DECLINED, UNKNOWN }

    public static ChargeResult succeeded(String gatewayId) {
        return new ChargeResult(Status.SUCCEEDED, gatewayId, null, null);
    }

    public static ChargeResult declined(String gatewayId, String reason) {
        return new ChargeResult(Status.DECLINED, gatewayId, reason, null);
    }

    public static ChargeResult unknown(String message) {
        return new ChargeResult(Status.UNKNOWN, null, null, message);
    }

    public boolean succeeded() {
        return status == Status.SUCCEEDED;
    }
}
