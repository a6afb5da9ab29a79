package tollgate.payments;

import tollgate.timeline.JobKind;

/** The reference of a {@code refund.resolve} row: the refund still pending. */
public record RefundRef(String refundId) {
    static JobKind<RefundRef> kind(String name) {
        return JobKind.of(name, RefundRef::refundId, RefundRef::new);
    }
}
