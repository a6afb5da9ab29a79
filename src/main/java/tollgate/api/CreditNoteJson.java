package tollgate.api;

import java.time.Instant;
import java.util.List;
import tollgate.invoicing.CreditNote;
import tollgate.invoicing.Refund;

/** A credit note as the API shows it (openapi fragment {@code credit-notes}); its refund is written as {@link RefundJson}. */
public record CreditNoteJson(String id, String object, String invoice, String account, String number, String currency, long amount,
                             List<CreditNote.Line> lines, String reason, Instant createdAt, String type, String status,
                             String refundTo, Refund refund, String balanceTransaction) {
    static CreditNoteJson of(CreditNote c) {
        return new CreditNoteJson(c.id(), "credit_note", c.invoice(), c.account(), c.number(), c.currency(), c.amount(), c.lines(),
                c.reason(), c.createdAt(), c.type(), c.status(), c.refundTo(), c.refund(), c.balanceTransaction());
    }

    /** What one credit note line takes back from one invoice line. */
    public record LineJson(String line, String description, long amount) {
        static LineJson of(CreditNote.Line l) {
            return new LineJson(l.line(), l.description(), l.amount());
        }
    }
}
