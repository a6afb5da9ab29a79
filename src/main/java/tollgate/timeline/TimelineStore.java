package tollgate.timeline;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * SQL for the timeline. Claiming uses {@code FOR UPDATE SKIP LOCKED}, which PostgreSQL and H2 (since 2.2)
 * both accept: a row another transaction holds is passed over instead of waited for.
 */
public final class TimelineStore {
    private static final String COLUMNS = "id, tenant_id, due_at, kind, ref, attempts";

    /** Adds a job; a job with the same tenant, kind, ref and due time is already there, nothing happens. */
    public void schedule(DSLContext db, String tenantId, Instant dueAt, String kind, String ref, Instant now) {
        db.execute("insert into timeline (tenant_id, due_at, kind, ref, state, attempts, created_at) "
                + "values (?, ?, ?, ?, 'pending', 0, ?) on conflict do nothing", tenantId, dueAt, kind, ref, now);
    }

    public Optional<Due> claimNext(DSLContext db, String tenantId, Instant upTo) {
        return db.fetchOptional("select " + COLUMNS + " from timeline where tenant_id = ? and state = 'pending' and due_at <= ? "
                + "order by due_at, id limit 1 for update skip locked", tenantId, upTo).map(TimelineStore::due);
    }

    /** Due work of live tenants, for the background worker; test tenants' work runs only when their clock is advanced. */
    public Optional<Due> claimNextLive(DSLContext db, Instant upTo) {
        return db.fetchOptional("select " + COLUMNS + " from timeline where state = 'pending' and due_at <= ? "
                + "and tenant_id in (select id from tenants where mode = 'live') "
                + "order by due_at, id limit 1 for update skip locked", upTo).map(TimelineStore::due);
    }

    public void markDone(DSLContext db, long id, Instant at) {
        db.execute("update timeline set state = 'done', done_at = ?, attempts = attempts + 1 where id = ?", at, id);
    }

    /** A failed run: try again at {@code retryAt}, or give up ({@code dead}) when there is none. */
    public void markFailed(DSLContext db, long id, String error, Instant retryAt) {
        if (retryAt == null) {
            db.execute("update timeline set state = 'dead', attempts = attempts + 1, last_error = ? where id = ?", error, id);
        } else {
            db.execute("update timeline set due_at = ?, attempts = attempts + 1, last_error = ? where id = ?", retryAt, error, id);
        }
    }

    public List<Record> pending(DSLContext db, String tenantId) {
        return db.fetch("select " + COLUMNS + ", state from timeline where tenant_id = ? and state = 'pending' order by due_at, id", tenantId);
    }

    private static Due due(Record r) {
        return new Due(r.get("id", Long.class), r.get("tenant_id", String.class), r.get("due_at", Instant.class),
                r.get("kind", String.class), r.get("ref", String.class), r.get("attempts", Integer.class));
    }
}
