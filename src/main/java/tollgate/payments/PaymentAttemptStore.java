package tollgate.payments;

import java.time.Instant;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Record;
import tollgate.core.Database;

/**
 * SQL for payment attempts. {@link #writeAhead} commits on a connection of its own, before the gateway is asked:
 * whatever happens to the charging transaction afterwards, the attempt and its idempotency key are on record.
 */
public final class PaymentAttemptStore {
    private static final String COLUMNS = "id, invoice_id, account_id, attempt, position, payment_method_id, gateway, amount, "
            + "currency, status, decline_reason, gateway_id, reason, created_at, resolved_at, idempotency_key";

    private final Database db;

    public PaymentAttemptStore(Database db) {
        this.db = db;
    }

    /** Commits the pending attempt at once, outside the caller's transaction (the table has no foreign keys to wait on). */
    public void writeAhead(String tenantId, PaymentAttempt a) {
        db.tx(tx -> tx.execute("insert into payment_attempts (id, tenant_id, invoice_id, account_id, attempt, position, "
                        + "payment_method_id, gateway, amount, currency, status, decline_reason, gateway_id, idempotency_key, reason, "
                        + "created_at, resolved_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                a.id(), tenantId, a.invoice(), a.account(), a.attempt(), a.position(), a.paymentMethod(), a.gateway(), a.amount(),
                a.currency(), a.status().wire(), a.declineReason(), a.gatewayId(), a.idempotencyKey(), a.reason().wire(),
                a.createdAt(), a.resolvedAt()));
    }

    /**
     * Writes pending attempts in the caller's transaction, in one statement: a batch of first charges is written ahead
     * by the transaction that claims it, which commits before any gateway is asked (decision 043).
     */
    public void insertAll(DSLContext tx, String tenantId, List<PaymentAttempt> all) {
        if (all.isEmpty()) return;
        List<Object[]> rows = new java.util.ArrayList<>(all.size());
        for (PaymentAttempt a : all)
            rows.add(new Object[] {a.id(), tenantId, a.invoice(), a.account(), a.attempt(), a.position(), a.paymentMethod(), a.gateway(),
                    a.amount(), a.currency(), a.status().wire(), a.declineReason(), a.gatewayId(), a.idempotencyKey(), a.reason().wire(),
                    a.createdAt(), a.resolvedAt()});
        tollgate.core.Bulk.run(tx, "insert into payment_attempts (id, tenant_id, invoice_id, account_id, attempt, position, "
                + "payment_method_id, gateway, amount, currency, status, decline_reason, gateway_id, idempotency_key, reason, "
                + "created_at, resolved_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows);
    }

    /** Writes the gateway's answer, in the charging transaction. */
    public void answer(DSLContext tx, String tenantId, PaymentAttempt a) {
        tx.execute("update payment_attempts set status = ?, decline_reason = ?, gateway_id = ?, resolved_at = ? "
                        + "where tenant_id = ? and id = ?",
                a.status().wire(), a.declineReason(), a.gatewayId(), a.resolvedAt(), tenantId, a.id());
    }

    /** {@link #answer} for many attempts, sent as one batch. */
    public void answerAll(DSLContext tx, String tenantId, List<PaymentAttempt> answered) {
        if (answered.isEmpty()) return;
        if (tx.dialect().family() == org.jooq.SQLDialect.POSTGRES) {
            // One statement, the answers as arrays (times in microseconds since the epoch, as PostgreSQL keeps them).
            int n = answered.size();
            String[] ids = new String[n], statuses = new String[n], reasons = new String[n], gatewayIds = new String[n];
            Long[] resolved = new Long[n];
            for (int i = 0; i < n; i++) {
                PaymentAttempt a = answered.get(i);
                ids[i] = a.id();
                statuses[i] = a.status().wire();
                reasons[i] = a.declineReason();
                gatewayIds[i] = a.gatewayId();
                resolved[i] = a.resolvedAt() == null ? null
                        : Math.addExact(Math.multiplyExact(a.resolvedAt().getEpochSecond(), 1_000_000L), a.resolvedAt().getNano() / 1_000);
            }
            tx.execute("update payment_attempts p set status = v.status, decline_reason = v.decline_reason, gateway_id = v.gateway_id, "
                            + "resolved_at = timestamptz 'epoch' + v.resolved_us * interval '1 microsecond' "
                            + "from unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::bigint[]) "
                            + "as v(id, status, decline_reason, gateway_id, resolved_us) where p.tenant_id = ? and p.id = v.id",
                    ids, statuses, reasons, gatewayIds, resolved, tenantId);
            return;
        }
        List<Object[]> rows = new java.util.ArrayList<>(answered.size());
        for (PaymentAttempt a : answered)
            rows.add(new Object[] {a.status().wire(), a.declineReason(), a.gatewayId(), a.resolvedAt(), tenantId, a.id()});
        tollgate.core.Bulk.run(tx, "update payment_attempts set status = ?, decline_reason = ?, gateway_id = ?, resolved_at = ? "
                + "where tenant_id = ? and id = ?", rows);
    }

    /** {@link #undecided} of many invoices in one query, by invoice (an invoice with none is absent). */
    public java.util.Map<String, List<PaymentAttempt>> undecidedOf(DSLContext db, String tenantId, List<String> invoiceIds) {
        java.util.Map<String, List<PaymentAttempt>> byInvoice = new java.util.HashMap<>();
        if (invoiceIds.isEmpty()) return byInvoice;
        for (Record r : db.fetch("select " + COLUMNS + " from payment_attempts where tenant_id = ? and invoice_id in ("
                + tollgate.core.Sql.placeholders(invoiceIds.size()) + ") and status in ('pending', 'unknown') order by invoice_id, attempt, position",
                tollgate.core.Sql.args(invoiceIds, tenantId))) {
            PaymentAttempt a = attempt(r);
            byInvoice.computeIfAbsent(a.invoice(), k -> new java.util.ArrayList<>()).add(a);
        }
        return byInvoice;
    }

    /** The invoice's attempts that are still pending or unknown, oldest first. */
    public List<PaymentAttempt> undecided(DSLContext db, String tenantId, String invoiceId) {
        return db.fetch("select " + COLUMNS + " from payment_attempts where tenant_id = ? and invoice_id = ? "
                + "and status in ('pending', 'unknown') order by attempt, position", tenantId, invoiceId).map(PaymentAttemptStore::attempt);
    }

    /** Every attempt on the invoice, in the order they were made. */
    public List<PaymentAttempt> ofInvoice(DSLContext db, String tenantId, String invoiceId) {
        return db.fetch("select " + COLUMNS + " from payment_attempts where tenant_id = ? and invoice_id = ? "
                + "order by attempt, position", tenantId, invoiceId).map(PaymentAttemptStore::attempt);
    }

    private static PaymentAttempt attempt(Record r) {
        return new PaymentAttempt(r.get("id", String.class), r.get("invoice_id", String.class),
                r.get("account_id", String.class), r.get("attempt", Integer.class), r.get("position", Integer.class),
                r.get("payment_method_id", String.class), r.get("gateway", String.class), r.get("amount", Long.class),
                r.get("currency", String.class), PaymentAttempt.Status.parse(r.get("status", String.class)),
                r.get("decline_reason", String.class), r.get("gateway_id", String.class),
                PaymentAttempt.Reason.parse(r.get("reason", String.class)), r.get("created_at", Instant.class),
                r.get("resolved_at", Instant.class), r.get("idempotency_key", String.class));
    }
}
