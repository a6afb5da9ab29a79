package tollgate.payments;

import tollgate.timeline.JobKind;

/** The reference of a timeline row about one invoice's payment (a first round, asking again, the due date): its id. */
public record InvoiceRef(String invoiceId) {
    static JobKind<InvoiceRef> kind(String name) {
        return JobKind.of(name, InvoiceRef::invoiceId, InvoiceRef::new);
    }
}
