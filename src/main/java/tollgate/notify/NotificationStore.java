package tollgate.notify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.SQLDialect;
import tollgate.core.Json;
import tollgate.core.NewestFirst;

/**
 * SQL for the notification outbox; every query is scoped by tenant, but the worker's claim, which takes due rows of
 * every tenant. A row is due when its {@code next_attempt_at} has come on its tenant's clock (a test tenant's
 * {@code clock_now}, else the system's) and no worker holds its lease ({@code locked_until}, system time).
 */
public final class NotificationStore {
    private static final String COLUMNS = "id, account_id, template, recipient, invoice_id, data, status, attempts, last_response, "
            + "next_attempt_at, message_id, created_at, sent_at, failed_at";
    private static final String INSERT = "insert into notifications (tenant_id, id, account_id, template, recipient, invoice_id, data, "
            + "status, attempts, next_attempt_at, message_id, created_at, dedupe_key) values (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)";

    /** A claimed row: its tenant and the notification. */
    public record Claimed(String tenantId, Notification notification) {}

    /** A message the mail server took (or the built-in mailbox kept), with that answer. */
    public record Sent(String id, String response) {}

    public void insert(DSLContext tx, String tenantId, Notification n) {
        tx.execute(INSERT, tenantId, n.id(), n.account(), n.template(), n.recipient(), n.invoice(), Json.write(n.data()), n.status(),
                n.nextAttemptAt(), n.messageId(), n.createdAt(), null);
    }

    /** Inserts unless the tenant already has a notification with {@code dedupeKey}; answers whether it did. */
    public boolean insertOnce(DSLContext tx, String tenantId, Notification n, String dedupeKey) {
        return tx.execute(INSERT + " on conflict do nothing", tenantId, n.id(), n.account(), n.template(), n.recipient(), n.invoice(),
                Json.write(n.data()), n.status(), n.nextAttemptAt(), n.messageId(), n.createdAt(), dedupeKey) > 0;
    }

    /** Many at once (the billing run's invoice emails): COPY on PostgreSQL, as the run's invoices and events are written. */
    /** Replaces {@code placeholder} by {@code value} in the data of the account's notifications about the invoice. */
    public void replaceInData(DSLContext tx, String tenantId, String accountId, String placeholder, String value) {
        tx.execute("update notifications set data = replace(data, ?, ?) where tenant_id = ? and account_id = ? "
                + "and position(? in data) > 0", placeholder, value, tenantId, accountId, placeholder);
    }

    public void insertAll(DSLContext tx, String tenantId, List<Notification> ns) {
        if (ns.isEmpty()) return;
        List<Object[]> rows = new ArrayList<>(ns.size());
        for (Notification n : ns)
            rows.add(new Object[] {tenantId, n.id(), n.account(), n.template(), n.recipient(), n.invoice(), Json.write(n.data()),
                    n.status(), 0, n.nextAttemptAt(), n.messageId(), n.createdAt()});
        tollgate.core.Bulk.insert(tx, "notifications", INSERT_ALL_COLUMNS, rows);
    }

    private static final List<String> INSERT_ALL_COLUMNS = List.of("tenant_id", "id", "account_id", "template", "recipient",
            "invoice_id", "data", "status", "attempts", "next_attempt_at", "message_id", "created_at");

    /** The account's notifications, newest first. */
    public List<Notification> list(DSLContext db, String tenantId, String accountId, String startingAfter, int limit) {
        return NewestFirst.page(db, "select " + COLUMNS + " from notifications where tenant_id = ? and account_id = ?",
                List.of(tenantId, accountId), startingAfter, limit, NotificationStore::notification);
    }

    /** All of the tenant's notifications, newest first (the built-in mailbox). */
    public List<Notification> listAll(DSLContext db, String tenantId, String startingAfter, int limit) {
        return NewestFirst.page(db, "select " + COLUMNS + " from notifications where tenant_id = ?",
                List.of(tenantId), startingAfter, limit, NotificationStore::notification);
    }

    public java.util.Optional<Notification> find(DSLContext db, String tenantId, String id) {
        return db.fetchOptional("select " + COLUMNS + " from notifications where tenant_id = ? and id = ?", tenantId, id)
                .map(NotificationStore::notification);
    }

    /**
     * Takes up to {@code limit} due rows of any tenant, passing over rows other workers hold, and leases them until
     * {@code leaseUntil}: another worker takes a row up again only when its lease has run out (its worker died).
     */
    public List<Claimed> claim(DSLContext tx, Instant systemNow, Instant leaseUntil, int limit) {
        String due = "n.status = 'pending' and (n.locked_until is null or n.locked_until < ?) "
                + "and n.next_attempt_at <= coalesce(t.clock_now, ?)";
        if (tx.dialect().family() != SQLDialect.H2) {
            // The due rows locked, skipping other workers' (an idle poll only reads); then leased and read back at once.
            String[] ids = tx.fetch("select n.id from notifications n join tenants t on t.id = n.tenant_id where " + due
                    + " order by n.next_attempt_at limit ? for update of n skip locked", systemNow, systemNow, limit).getValues(0, String.class)
                    .toArray(String[]::new);
            if (ids.length == 0) return List.of();
            List<Claimed> claimed = new ArrayList<>(tx.fetch("update notifications set locked_until = ? where id = any(?) returning tenant_id, "
                    + COLUMNS, leaseUntil, ids).map(r -> new Claimed(r.get("tenant_id", String.class), notification(r))));
            claimed.sort(java.util.Comparator.comparing(c -> c.notification().nextAttemptAt()));
            return claimed;
        }
        // H2 applies the limit before skipping locked rows (docs/decisions/002): candidates first, then each locked alone.
        List<String> ids = new ArrayList<>();
        for (String id : tx.fetch("select n.id from notifications n join tenants t on t.id = n.tenant_id where " + due
                + " order by n.next_attempt_at limit ?", systemNow, systemNow, limit).getValues(0, String.class)) {
            if (tx.fetchOptional("select id from notifications where id = ? and status = 'pending' "
                    + "and (locked_until is null or locked_until < ?) for update skip locked", id, systemNow).isPresent()) ids.add(id);
        }
        if (ids.isEmpty()) return List.of();
        String[] array = ids.toArray(String[]::new);
        tx.execute("update notifications set locked_until = ? where id = any(?)", leaseUntil, array);
        return tx.fetch("select tenant_id, " + COLUMNS + " from notifications where id = any(?) order by next_attempt_at", (Object) array)
                .map(r -> new Claimed(r.get("tenant_id", String.class), notification(r)));
    }

    /** Delivered: {@code sent} with the server's answer (or the mailbox's note), several of a tenant in one JDBC batch; their leases end. */
    public void markAllSent(DSLContext tx, String tenantId, List<Sent> sent, Instant at) {
        List<Object[]> rows = new ArrayList<>(sent.size());
        for (Sent m : sent) rows.add(new Object[] {clip(m.response()), at, tenantId, m.id()});
        tollgate.core.Bulk.run(tx, "update notifications set status = 'sent', attempts = attempts + 1, last_response = ?, sent_at = ?, "
                + "locked_until = null where tenant_id = ? and id = ?", rows);
    }

    /** A temporary failure: tried again at {@code retryAt} (tenant time). */
    public void markRetry(DSLContext tx, String tenantId, String id, String response, Instant retryAt) {
        tx.execute("update notifications set attempts = attempts + 1, last_response = ?, next_attempt_at = ?, locked_until = null "
                + "where tenant_id = ? and id = ?", clip(response), retryAt, tenantId, id);
    }

    /** Not tried (no mail server for a live tenant): looked at again at {@code retryAt}, no attempt counted. */
    public void markWaiting(DSLContext tx, String tenantId, String id, String response, Instant retryAt) {
        tx.execute("update notifications set last_response = ?, next_attempt_at = ?, locked_until = null where tenant_id = ? and id = ?",
                clip(response), retryAt, tenantId, id);
    }

    /** {@code failed} for good, or {@code skipped}; {@code attempted}: whether the mail server was asked. */
    public void markFinal(DSLContext tx, String tenantId, String id, String status, String response, boolean attempted, Instant at) {
        tx.execute("update notifications set status = ?, attempts = attempts + ?, last_response = ?, failed_at = ?, next_attempt_at = null, "
                + "locked_until = null where tenant_id = ? and id = ?", status, attempted ? 1 : 0, clip(response), at, tenantId, id);
    }

    private static String clip(String s) {
        return s == null || s.length() <= 1000 ? s : s.substring(0, 1000);
    }

    private static Notification notification(Record r) {
        Map<String, Object> data = Json.readMap(r.get("data", String.class),
                "notification " + r.get("id", String.class) + " keeps unreadable data");
        return new Notification(r.get("id", String.class), r.get("account_id", String.class), r.get("template", String.class),
                r.get("recipient", String.class), r.get("invoice_id", String.class), data, r.get("status", String.class),
                r.get("attempts", Integer.class), r.get("last_response", String.class), r.get("next_attempt_at", Instant.class),
                r.get("message_id", String.class), r.get("created_at", Instant.class), r.get("sent_at", Instant.class),
                r.get("failed_at", Instant.class));
    }
}
