package tollgate.timeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.SQLDialect;

/**
 * SQL for the timeline. Claiming uses {@code FOR UPDATE SKIP LOCKED}: a row another transaction holds is
 * passed over instead of waited for. PostgreSQL skips locked rows before applying {@code LIMIT}; H2 2.5
 * accepts the clause but applies the limit first, so one locked row would hide all the others. On H2 we
 * therefore read a batch of candidates without locks and lock them one at a time by id with
 * {@code SKIP LOCKED}, re-checking {@code state = 'pending'} under the lock (see docs/decisions/002 and 043).
 */
public final class TimelineStore {
    private static final String COLUMNS = "id, tenant_id, due_at, run_at, kind, ref, attempts";
    
    /** Adds a job; a job with the same tenant, kind, ref and due time is already there, nothing happens. */
    public void schedule(DSLContext db, String tenantId, Instant dueAt, String kind, String ref, Instant now) {
        db.execute("insert into timeline (tenant_id, due_at, run_at, kind, ref, state, attempts, created_at) "
                + "values (?, ?, ?, ?, ?, 'pending', 0, ?) on conflict do nothing", tenantId, dueAt, dueAt, kind, ref, now);
    }

    /** Adds many jobs of one kind due at one instant, in one round trip; rows already there stay as they are. */
    public void scheduleAll(DSLContext db, String tenantId, Instant dueAt, String kind, List<String> refs, Instant now) {
        if (refs.isEmpty()) return;
        if (db.dialect().family() == SQLDialect.POSTGRES) {
            // One statement with the refs as one array, rather than multi-row inserts of 128 rows and 640 values each
            // (through Bulk, so that requests run together send it with their other writes, decision 068).
            tollgate.core.Bulk.write(db, "insert into timeline (tenant_id, due_at, run_at, kind, ref, state, attempts, created_at) "
                    + "select ?, ?, ?, ?, r.ref, 'pending', 0, ? from unnest(cast(? as varchar[])) as r(ref) on conflict do nothing",
                    tenantId, dueAt, dueAt, kind, now, refs.toArray(String[]::new));
            return;
        }
        List<Object[]> rows = new ArrayList<>(refs.size());
        for (String ref : refs) rows.add(new Object[] {tenantId, dueAt, dueAt, kind, ref, now});
        tollgate.core.Bulk.run(db, "insert into timeline (tenant_id, due_at, run_at, kind, ref, state, attempts, created_at) "
                + "values (?, ?, ?, ?, ?, 'pending', 0, ?) on conflict do nothing", rows);
    }

    /** The tenant's earliest pending instant at most {@code upTo}, among rows of {@code kind} (all kinds when null). */
    public Instant nextDue(DSLContext db, String tenantId, Instant upTo, String kind) {
        List<Object> args = new ArrayList<>(List.of(tenantId, upTo));
        if (kind != null) args.add(kind);
        return db.fetchOne("select min(run_at) from timeline where tenant_id = ? and state = 'pending' and run_at <= ?"
                + (kind == null ? "" : " and kind = ?"), args.toArray()).get(0, Instant.class);
    }

    /** The first pending due instant after {@code after} of one kind and ref (an account's next billing run). */
    public Optional<Instant> nextPending(DSLContext db, String tenantId, String kind, String ref, Instant after) {
        return Optional.ofNullable(db.fetchOne("select min(due_at) from timeline where tenant_id = ? and kind = ? and ref = ? "
                + "and state = 'pending' and due_at > ?", tenantId, kind, ref, after).get(0, Instant.class));
    }

    /** Which kinds of rows a claim takes: only those named, or all but those named. */
    public record Kinds(Set<String> names, boolean except) {
        public static Kinds only(Set<String> names) {
            return new Kinds(Set.copyOf(names), false);
        }

        public static Kinds allBut(Set<String> names) {
            return new Kinds(Set.copyOf(names), true);
        }

        String condition(List<Object> args) {
            if (names.isEmpty()) return except ? "" : " and false";
            args.add(names.toArray(String[]::new));
            return except ? " and not (kind = any(?))" : " and kind = any(?)";
        }
    }

    /**
     * Claims up to {@code limit} of the tenant's pending rows due exactly at {@code at}, of the given {@code kinds},
     * whose id is above {@code afterId}, in id order, passing over rows that other transactions hold.
     * Callers that work through an instant's rows in id order pass the last id they claimed: the rows before it are
     * done, and without a vacuum their old index entries would otherwise be read again by every claim.
     */
    public List<Due> claimAt(DSLContext db, String tenantId, Instant at, int limit, Kinds kinds, long afterId) {
        List<Object> args = new ArrayList<>(List.of(tenantId, at, afterId));
        String where = "tenant_id = ? and state = 'pending' and run_at = ? and id > ?" + kinds.condition(args);
        args.add(limit);
        if (db.dialect().family() != SQLDialect.H2) {
            return db.fetch("select " + COLUMNS + " from timeline where " + where + " order by id limit ? for update skip locked",
                    args.toArray()).map(TimelineStore::due);
        }
        List<Due> claimed = new ArrayList<>();
        for (Long id : db.fetch("select id from timeline where " + where + " order by id limit ?", args.toArray()).getValues(0, Long.class)) {
            lock(db, id).ifPresent(claimed::add);
        }
        return claimed;
    }

    /** The live tenants that have pending rows due at or before {@code upTo}, for the live worker. */
    public List<String> liveTenantsDue(DSLContext db, Instant upTo) {
        return db.fetch("select distinct tenant_id from timeline where state = 'pending' and run_at <= ? "
                + "and tenant_id in (select id from tenants where mode = 'live')", upTo).getValues(0, String.class);
    }

    /** The tenant's earliest pending instant at most {@code upTo} among rows of {@code kinds}; null when none. */
    public Instant nextDueOf(DSLContext db, String tenantId, Instant upTo, Kinds kinds) {
        List<Object> args = new ArrayList<>(List.of(tenantId, upTo));
        String where = "tenant_id = ? and state = 'pending' and run_at <= ?" + kinds.condition(args);
        return db.fetchOne("select min(run_at) from timeline where " + where, args.toArray()).get(0, Instant.class);
    }

    /** Where a worker going through rows in {@code run_at, id} order has got to: the last row it claimed. */
    public record Cursor(Instant runAt, long id) {
        static final Cursor START = new Cursor(null, 0);

        Cursor max(Cursor other) {
            if (runAt == null) return other;
            if (other.runAt == null) return this;
            int c = runAt.compareTo(other.runAt);
            return c > 0 || (c == 0 && id >= other.id) ? this : other;
        }
    }

    /**
     * Claims up to {@code limit} of the tenant's pending rows of {@code kinds} due before {@code bound} (at or before,
     * when {@code inclusive}) and after {@code after}, in {@code run_at, id} order, passing over rows other transactions
     * hold. The tenant's index ({@code tenant_id, state, run_at, id}) gives that order, and the cursor keeps the claims
     * of one pass from reading again the index entries of rows already done.
     */
    public List<Due> claimUpTo(DSLContext db, String tenantId, Instant bound, boolean inclusive, int limit, Kinds kinds, Cursor after) {
        if (db.dialect().family() != SQLDialect.H2) return pendingAfter(db, tenantId, bound, inclusive, limit, kinds, after, " for update skip locked");
        // H2 locks row by row; like PostgreSQL's SKIP LOCKED, it reads on past the rows others hold until it has some.
        List<Due> claimed = new ArrayList<>();
        Cursor seen = after;
        while (claimed.isEmpty()) {
            List<Due> candidates = pendingAfter(db, tenantId, bound, inclusive, limit, kinds, seen, "");
            for (Due d : candidates) lock(db, d.id()).ifPresent(claimed::add);
            if (candidates.size() < limit) break;
            seen = new Cursor(candidates.getLast().runAt(), candidates.getLast().id());
        }
        return claimed;
    }

    /** The next {@code limit} pending rows after {@code after}, in {@code run_at, id} order; {@code lock}: the locking clause. */
    private static List<Due> pendingAfter(DSLContext db, String tenantId, Instant bound, boolean inclusive, int limit, Kinds kinds, Cursor after, String lock) {
        List<Object> args = new ArrayList<>(List.of(tenantId, bound));
        String where = "tenant_id = ? and state = 'pending' and run_at " + (inclusive ? "<=" : "<") + " ?";
        if (after.runAt() != null) {
            // PostgreSQL reads a row comparison as one range of the index; H2 spells it out.
            boolean h2 = db.dialect().family() == SQLDialect.H2;
            where += h2 ? " and (run_at > ? or (run_at = ? and id > ?))" : " and (run_at, id) > (?, ?)";
            args.add(after.runAt());
            if (h2) args.add(after.runAt());
            args.add(after.id());
        }
        where += kinds.condition(args);
        args.add(limit);
        return db.fetch("select " + COLUMNS + " from timeline where " + where + " order by run_at, id limit ?" + lock, args.toArray())
                .map(TimelineStore::due);
    }

    /**
     * Moves claimed rows' {@code run_at} to {@code until}, still pending: a job that finishes them in a later transaction
     * (a charge whose gateway call is made between two) keeps other workers off them until then, and should this
     * process die, they run again after it.
     */
    public void lease(DSLContext db, List<Due> dues, Instant until) {
        if (dues.isEmpty()) return;
        db.execute("update timeline set run_at = ? where id = any(?)", until, ids(dues));
    }

    /**
     * Gives leased rows back their {@code run_at} from when they were claimed, so that the next worker takes them up at
     * once rather than after the lease (a stopping process cut off between a staged job's steps). Only rows still pending
     * and still under this lease ({@code run_at} within a millisecond of {@code leasedUntil}: not given a retry's delay,
     * not leased again by another node), and not locked now (this process's own last step may hold them: it finishes them itself, and a stop does not
     * wait for it). Answers how many rows were released.
     */
    public int release(DSLContext db, List<Due> dues, Instant leasedUntil) {
        if (dues.isEmpty()) return 0;
        // Within a millisecond of the lease as written (the database keeps microseconds); a retry's delay or another node's
        // lease is seconds or minutes away.
        java.util.Set<Long> free = new java.util.HashSet<>(db.fetch("select id from timeline where id = any(?) and state = 'pending' "
                + "and run_at > ? and run_at < ? for update skip locked", ids(dues),
                leasedUntil.minusMillis(1), leasedUntil.plusMillis(1)).getValues(0, Long.class));
        List<Object[]> rows = dues.stream().filter(d -> free.contains(d.id())).map(d -> new Object[] {d.runAt(), d.id()}).toList();
        tollgate.core.Bulk.run(db, "update timeline set run_at = ? where id = ?", rows);
        return rows.size();
    }

    /** The rows' ids, as the array their statements bind. */
    private static Long[] ids(List<Due> dues) {
        return dues.stream().map(Due::id).toArray(Long[]::new);
    }

    /** Locks again rows leased earlier that are still pending (waiting for a worker that holds one), in id order. */
    public List<Due> relock(DSLContext db, List<Due> dues) {
        if (dues.isEmpty()) return List.of();
        return db.fetch("select " + COLUMNS + " from timeline where id = any(?) and state = 'pending' order by id for update",
                (Object) ids(dues)).map(TimelineStore::due);
    }

    /** Locks one row that is still pending (skipping it when another worker has it). */
    public Optional<Due> lock(DSLContext db, long id) {
        return db.fetchOptional("select " + COLUMNS + " from timeline where id = ? and state = 'pending' for update skip locked", id)
                .map(TimelineStore::due);
    }

    /** Marks a batch done with one statement (an array of ids), not one update per row. */
    public void markAllDone(DSLContext db, List<Due> dues, Instant at) {
        if (dues.isEmpty()) return;
        db.execute("update timeline set state = 'done', done_at = ?, attempts = attempts + 1 where id = any(?)", at, ids(dues));
    }

    public void markDone(DSLContext db, long id, Instant at) {
        db.execute("update timeline set state = 'done', done_at = ?, attempts = attempts + 1 where id = ?", at, id);
    }

    /** A failed run: try again at {@code retryAt}, or give up ({@code dead}) when there is none. */
    public void markFailed(DSLContext db, long id, String error, Instant retryAt) {
        if (retryAt == null) {
            db.execute("update timeline set state = 'dead', attempts = attempts + 1, last_error = ? where id = ?", error, id);
        } else {
            db.execute("update timeline set run_at = ?, attempts = attempts + 1, last_error = ? where id = ?", retryAt, error, id);
        }
    }

    private static Due due(Record r) {
        return new Due(r.get("id", Long.class), r.get("tenant_id", String.class), r.get("due_at", Instant.class), r.get("run_at", Instant.class),
                r.get("kind", String.class), r.get("ref", String.class), r.get("attempts", Integer.class));
    }
}
