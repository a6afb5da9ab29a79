package tollgate.payments;

/**
 * A gateway's answer to a debit. {@code UNKNOWN} is the answer of a gateway that could not tell (a timeout, a 5xx,
 * a dropped connection): the charge may or may not have happened, and is resolved later by asking again with the
 * same idempotency key. Decline reasons are those of {@link DebitOutcome}.
 */
public record DebitResult(Status status, String gatewayId, String declineReason, String message) {
    public enum Status { SUCCEEDED, DECLINED, UNKNOWN }

    public static DebitResult succeeded(String gatewayId) {
        return new DebitResult(Status.SUCCEEDED, gatewayId, null, null);
    }

    public static DebitResult declined(String gatewayId, String reason) {
        return new DebitResult(Status.DECLINED, gatewayId, reason, null);
    }

    public static DebitResult unknown(String message) {
        return new DebitResult(Status.UNKNOWN, null, null, message);
    }

    public boolean succeeded() {
        return status == Status.SUCCEEDED;
    }
}
