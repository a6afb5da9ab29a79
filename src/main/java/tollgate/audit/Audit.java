package tollgate.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import tollgate.core.Database;
import tollgate.core.Ids;
import tollgate.tenants.Ctx;
import tollgate.tenants.Tenant;
import tollgate.tenants.TenantClock;

/**
 * The audit log (issue 14 point 8, decision 041): every staff action of the console and every API key's successful
 * write, with who, what, when and the object's fields before and after. Entries are only ever added: nothing in
 * Tollgate deletes or edits them. Call {@link #record(Ctx, AuditEntry.Actor, String, String, String, Map, Map)} inside
 * the transaction of the change when there is one, else {@link #record(Tenant, AuditEntry.Actor, String, String, String, Map, Map)}.
 */
public final class Audit {
    /** A before/after object is cut to this many characters (the column's width) rather than refused. */
    static final int MAX_JSON = 8000;
    private final Database db;
    private final AuditStore store;
    private final TenantClock clock;

    public Audit(Database db, AuditStore store, TenantClock clock) {
        this.db = db;
        this.store = store;
        this.clock = clock;
    }

    /** What the audit log page searches by; null fields do not filter. {@code to} is exclusive. */
    public record Query(String actor, String action, String object, Instant from, Instant to, Instant beforeAt, String beforeId) {
        public static Query all() {
            return new Query(null, null, null, null, null, null, null);
        }
    }

    /** Records an action inside the caller's transaction, at the tenant's instant of {@code ctx}. */
    public AuditEntry record(Ctx ctx, AuditEntry.Actor actor, String action, String objectType, String objectId,
                             Map<String, ?> before, Map<String, ?> after) {
        AuditEntry e = new AuditEntry(Ids.next("aud"), ctx.now(), actor, action, objectType, objectId, json(before), json(after));
        store.insert(ctx.tx(), ctx.tenantId(), e);
        return e;
    }

    /** One action of {@link #recordAll}: who did what to which object, with its fields after. */
    public record Action(AuditEntry.Actor actor, String action, String objectType, String objectId, Map<String, ?> after) {}

    /** Several actions at the instant of {@code ctx}, inside the caller's transaction, in one statement (decision 068). */
    public void recordAll(Ctx ctx, List<Action> actions) {
        List<AuditEntry> entries = new java.util.ArrayList<>(actions.size());
        for (Action a : actions)
            entries.add(new AuditEntry(Ids.next("aud"), ctx.now(), a.actor(), a.action(), a.objectType(), a.objectId(), null, json(a.after())));
        store.insertAll(ctx.tx(), ctx.tenantId(), entries);
    }

    /** The same in a transaction of its own (after a service that opened its own). */
    public AuditEntry record(Tenant tenant, AuditEntry.Actor actor, String action, String objectType, String objectId,
                             Map<String, ?> before, Map<String, ?> after) {
        return db.tx(tx -> record(new Ctx(tx, tenant, clock.now(tx, tenant)), actor, action, objectType, objectId, before, after));
    }

    /** Newest first, {@code limit} at most (the page asks one more to know whether there is a next page). */
    public List<AuditEntry> search(Tenant tenant, Query q, int limit) {
        return store.search(db.dsl(), tenant.id(), q, limit);
    }

    /** A flat JSON object of strings, numbers, booleans and nulls (what an audit line needs), in the map's order. */
    static String json(Map<String, ?> fields) {
        if (fields == null) return null;
        StringBuilder b = new StringBuilder("{");
        for (Map.Entry<String, ?> e : fields.entrySet()) {
            if (b.length() > 1) b.append(',');
            quote(b, e.getKey());
            b.append(':');
            Object v = e.getValue();
            if (v == null) b.append("null");
            else if (v instanceof Number || v instanceof Boolean) b.append(v);
            else quote(b, v.toString());
        }
        String s = b.append('}').toString();
        return s.length() > MAX_JSON ? s.substring(0, MAX_JSON - 3) + "..." : s;
    }

    private static void quote(StringBuilder b, String s) {
        b.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        b.append('"');
    }
}
