package tollgate.invoicing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;
import tollgate.core.NewestFirst;

/** SQL for credit notes and what they took off each invoice line; every query is scoped by tenant. */
public final class CreditNoteStore {
    private static final String COLUMNS = "id, invoice_id, account_id, number, currency, amount, reason, created_at, type, status, "
            + "refund_to, balance_transaction_id";

    public void insert(DSLContext tx, String tenantId, CreditNote note) {
        tx.execute("insert into credit_notes (tenant_id, " + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                tenantId, note.id(), note.invoice(), note.account(), note.number(), note.currency(), note.amount(), note.reason(),
                note.createdAt(), note.type(), note.status(), note.refundTo(), note.balanceTransaction());
        List<Object[]> lines = new ArrayList<>(note.lines().size());
        for (int i = 0; i < note.lines().size(); i++) {
            CreditNote.Line l = note.lines().get(i);
            lines.add(new Object[] {note.id(), i, l.line(), l.amount()});
        }
        tollgate.core.Bulk.run(tx, "insert into credit_note_lines (credit_note_id, position, invoice_line_id, amount) values (?, ?, ?, ?)", lines);
    }

    /** Records that a post-payment credit note's refund was refused: the note is void, nothing was given back. */
    public void markVoid(DSLContext tx, String tenantId, String id) {
        tx.execute("update credit_notes set status = 'void' where tenant_id = ? and id = ?", tenantId, id);
    }

    /** What the invoice's credit notes given after payment, and not void, gave back in all. */
    public long creditedAfterPayment(DSLContext db, String tenantId, String invoiceId) {
        Long sum = db.fetchOne("select sum(amount) from credit_notes where tenant_id = ? and invoice_id = ? and type = 'post_payment' "
                + "and status = 'issued'", tenantId, invoiceId).get(0, Long.class);
        return sum == null ? 0 : sum;
    }

    /** What all credit notes of the invoice (but void ones) took off each of its lines. */
    public Map<String, Long> creditedByLine(DSLContext db, String tenantId, String invoiceId) {
        Map<String, Long> sums = new HashMap<>();
        for (Record r : db.fetch("select l.invoice_line_id, sum(l.amount) from credit_note_lines l "
                + "join credit_notes n on n.id = l.credit_note_id where n.tenant_id = ? and n.invoice_id = ? and n.status = 'issued' "
                + "group by l.invoice_line_id", tenantId, invoiceId)) {
            sums.put(r.get(0, String.class), r.get(1, Long.class));
        }
        return sums;
    }

    public Optional<CreditNote> find(DSLContext db, String tenantId, String id) {
        return db.fetchOptional("select " + COLUMNS + " from credit_notes where tenant_id = ? and id = ?", tenantId, id)
                .map(r -> complete(db, List.of(r)).getFirst());
    }

    /** The invoice's credit notes, newest first. */
    public List<CreditNote> ofInvoice(DSLContext db, String tenantId, String invoiceId, String startingAfter, int limit) {
        List<Record> rows = NewestFirst.page(db, "select " + COLUMNS + " from credit_notes where tenant_id = ? and invoice_id = ?",
                List.of(tenantId, invoiceId), startingAfter, limit, r -> r);
        return complete(db, rows);
    }

    private static List<CreditNote> complete(DSLContext db, List<Record> rows) {
        if (rows.isEmpty()) return List.of();
        List<String> ids = rows.stream().map(r -> r.get("id", String.class)).toList();
        String in = tollgate.core.Sql.placeholders(ids.size());
        Map<String, List<CreditNote.Line>> lines = new LinkedHashMap<>();
        for (Record r : db.fetch("select c.credit_note_id, c.invoice_line_id, l.description, c.amount from credit_note_lines c "
                + "join invoice_lines l on l.id = c.invoice_line_id where c.credit_note_id in (" + in + ") "
                + "order by c.credit_note_id, c.position", ids.toArray())) {
            lines.computeIfAbsent(r.get(0, String.class), k -> new ArrayList<>())
                    .add(new CreditNote.Line(r.get(1, String.class), r.get(2, String.class), r.get(3, Long.class)));
        }
        Map<String, Refund> given = new RefundStore().ofCreditNotes(db, ids);
        List<CreditNote> out = new ArrayList<>(rows.size());
        for (Record r : rows) {
            String id = r.get("id", String.class);
            out.add(new CreditNote(id, r.get("invoice_id", String.class), r.get("account_id", String.class),
                    r.get("number", String.class), r.get("currency", String.class), r.get("amount", Long.class),
                    lines.getOrDefault(id, List.of()), r.get("reason", String.class), r.get("created_at", Instant.class),
                    r.get("type", String.class), r.get("status", String.class), r.get("refund_to", String.class), given.get(id),
                    r.get("balance_transaction_id", String.class)));
        }
        return out;
    }
}
