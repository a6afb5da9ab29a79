package tollgate.payments;

import java.time.Instant;
import java.util.List;
import org.jooq.DSLContext;

/** SQL for payments received. */
public final class PaymentStore {
    public void insert(DSLContext tx, String tenantId, Payment p) {
        tx.execute("insert into payments (id, tenant_id, invoice_id, account_id, amount, currency, method, reference, "
                        + "payment_attempt_id, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                p.id(), tenantId, p.invoice(), p.account(), p.amount(), p.currency(), p.method(), p.reference(), p.paymentAttempt(),
                p.createdAt());
    }

    /** {@link #insert} of many payments, in one round trip (COPY on PostgreSQL). */
    public void insertAll(DSLContext tx, String tenantId, List<Payment> all) {
        List<Object[]> rows = new java.util.ArrayList<>(all.size());
        for (Payment p : all)
            rows.add(new Object[] {p.id(), tenantId, p.invoice(), p.account(), p.amount(), p.currency(), p.method(), p.reference(),
                    p.paymentAttempt(), p.createdAt()});
        tollgate.core.Bulk.insert(tx, "payments", List.of("id", "tenant_id", "invoice_id", "account_id", "amount", "currency", "method",
                "reference", "payment_attempt_id", "created_at"), rows);
    }

    public List<Payment> ofInvoice(DSLContext db, String tenantId, String invoiceId) {
        return db.fetch("select id, invoice_id, account_id, amount, currency, method, reference, payment_attempt_id, created_at "
                        + "from payments where tenant_id = ? and invoice_id = ? order by created_at, id", tenantId, invoiceId)
                .map(r -> new Payment(r.get("id", String.class), r.get("invoice_id", String.class), r.get("account_id", String.class),
                        r.get("amount", Long.class), r.get("currency", String.class), r.get("method", String.class),
                        r.get("reference", String.class), r.get("payment_attempt_id", String.class), r.get("created_at", Instant.class)));
    }
}
