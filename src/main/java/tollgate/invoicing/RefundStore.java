package tollgate.invoicing;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;
import tollgate.core.NewestFirst;

/** SQL for refunds; every query is scoped by tenant. */
public final class RefundStore {
    private static final String COLUMNS = "id, account_id, invoice_id, credit_note_id, payment_id, amount, currency, status, "
            + "failure_reason, gateway, charge, gateway_id, idempotency_key, created_at";

    public void insert(DSLContext tx, String tenantId, Refund r) {
        tx.execute("insert into refunds (tenant_id, " + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                tenantId, r.id(), r.account(), r.invoice(), r.creditNote(), r.payment(), r.amount(), r.currency(), r.status(),
                r.failureReason(), r.gateway(), r.gatewayCharge(), r.gatewayRefund(), r.idempotencyKey(), r.createdAt());
    }

    /**
     * Writes a gateway's answer to a refund still pending: true when this call wrote it, false when another (a resolve,
     * a concurrent request) already had, so that only one of them records what follows.
     */
    public boolean answer(DSLContext tx, String tenantId, Refund r, Instant at) {
        return tx.execute("update refunds set status = ?, failure_reason = ?, gateway_id = ?, resolved_at = ? "
                        + "where tenant_id = ? and id = ? and status = 'pending'",
                r.status(), r.failureReason(), r.gatewayRefund(), r.isPending() ? null : at, tenantId, r.id()) == 1;
    }

    public Optional<Refund> find(DSLContext db, String tenantId, String id) {
        return db.fetchOptional("select " + COLUMNS + " from refunds where tenant_id = ? and id = ?", tenantId, id)
                .map(RefundStore::refund);
    }

    /** Locks a refund's row and reads it, so that two who would record its answer take turns. */
    public Optional<Refund> lock(DSLContext tx, String tenantId, String id) {
        return tx.fetchOptional("select " + COLUMNS + " from refunds where tenant_id = ? and id = ? for update", tenantId, id)
                .map(RefundStore::refund);
    }

    /** The invoice's refunds, newest first. */
    public List<Refund> ofInvoice(DSLContext db, String tenantId, String invoiceId, String startingAfter, int limit) {
        return NewestFirst.page(db, "select " + COLUMNS + " from refunds where tenant_id = ? and invoice_id = ?",
                List.of(tenantId, invoiceId), startingAfter, limit, RefundStore::refund);
    }

    /** Every refund of the invoice, oldest first (what each payment has given back). */
    public List<Refund> allOfInvoice(DSLContext db, String tenantId, String invoiceId) {
        return db.fetch("select " + COLUMNS + " from refunds where tenant_id = ? and invoice_id = ? order by id", tenantId, invoiceId)
                .map(RefundStore::refund);
    }

    /** The refund of each of these credit notes that has one. */
    public Map<String, Refund> ofCreditNotes(DSLContext db, List<String> creditNoteIds) {
        Map<String, Refund> out = new HashMap<>();
        if (creditNoteIds.isEmpty()) return out;
        for (Record r : db.fetch("select " + COLUMNS + " from refunds where credit_note_id in ("
                + tollgate.core.Sql.placeholders(creditNoteIds.size()) + ")", creditNoteIds.toArray())) {
            Refund refund = refund(r);
            out.put(refund.creditNote(), refund);
        }
        return out;
    }

    private static Refund refund(Record r) {
        return new Refund(r.get("id", String.class), r.get("account_id", String.class), r.get("invoice_id", String.class),
                r.get("credit_note_id", String.class), r.get("payment_id", String.class), r.get("amount", Long.class),
                r.get("currency", String.class), r.get("status", String.class), r.get("failure_reason", String.class),
                r.get("gateway", String.class), r.get("charge", String.class), r.get("gateway_id", String.class),
                r.get("idempotency_key", String.class), r.get("created_at", Instant.class));
    }
}
