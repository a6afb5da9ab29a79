package tollgate.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Record;

/** SQL for audit_log (V29): insert and a filtered, keyset-paged read. There is no delete. */
public final class AuditStore {
    private static final String COLUMNS = "id, at, actor_type, actor_id, actor_label, action, object_type, object_id, before_json, after_json";

    public void insert(DSLContext db, String tenantId, AuditEntry e) {
        db.execute("insert into audit_log (id, tenant_id, at, actor_type, actor_id, actor_label, action, object_type, object_id, "
                        + "before_json, after_json) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", e.id(), tenantId, e.at(),
                e.actor().type(), e.actor().id(), e.actor().label(), e.action(), e.objectType(), e.objectId(), e.before(), e.after());
    }

    /** Many entries in one multi-row statement. */
    public void insertAll(DSLContext db, String tenantId, List<AuditEntry> entries) {
        List<Object[]> rows = new ArrayList<>(entries.size());
        for (AuditEntry e : entries)
            rows.add(new Object[] {e.id(), tenantId, e.at(), e.actor().type(), e.actor().id(), e.actor().label(), e.action(),
                    e.objectType(), e.objectId(), e.before(), e.after()});
        tollgate.core.Bulk.insertRows(db, "insert into audit_log (id, tenant_id, at, actor_type, actor_id, actor_label, action, object_type, "
                + "object_id, before_json, after_json) values", "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "", rows);
    }

    /** Newest first; {@code before} pages: entries strictly older than (at, id) of the last one shown. */
    public List<AuditEntry> search(DSLContext db, String tenantId, Audit.Query q, int limit) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from audit_log where tenant_id = ?");
        List<Object> args = new ArrayList<>();
        args.add(tenantId);
        if (q.actor() != null) {
            sql.append(" and (actor_id = ? or lower(actor_label) = ?)");
            args.add(q.actor());
            args.add(q.actor().toLowerCase(java.util.Locale.ROOT));
        }
        if (q.action() != null) {
            sql.append(" and action like ?");
            args.add(q.action().replace("%", "").replace("_", "\\_") + "%");
        }
        if (q.object() != null) {
            sql.append(" and object_id = ?");
            args.add(q.object());
        }
        if (q.from() != null) {
            sql.append(" and at >= ?");
            args.add(q.from());
        }
        if (q.to() != null) {
            sql.append(" and at < ?");
            args.add(q.to());
        }
        if (q.beforeAt() != null && q.beforeId() != null) {
            sql.append(" and (at < ? or (at = ? and id < ?))");
            args.add(q.beforeAt());
            args.add(q.beforeAt());
            args.add(q.beforeId());
        }
        sql.append(" order by at desc, id desc limit ?");
        args.add(limit);
        return db.fetch(sql.toString(), args.toArray()).map(AuditStore::entry);
    }

    private static AuditEntry entry(Record r) {
        return new AuditEntry(r.get("id", String.class), r.get("at", Instant.class), new AuditEntry.Actor(r.get("actor_type", String.class),
                r.get("actor_id", String.class), r.get("actor_label", String.class)), r.get("action", String.class),
                r.get("object_type", String.class), r.get("object_id", String.class), r.get("before_json", String.class),
                r.get("after_json", String.class));
    }
}
