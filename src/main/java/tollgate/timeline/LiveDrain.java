package tollgate.timeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jooq.SQLDialect;
import tollgate.core.Database;
import tollgate.core.Futures;
import tollgate.timeline.TimelineStore.Cursor;
import tollgate.timeline.TimelineStore.Kinds;

/**
 * Live tenants' due rows, as the background worker runs them (decision 043): claimed in batches of {@link #BATCH} (or {@code TOLLGATE_LIVE_BATCH})
 * with {@code FOR UPDATE SKIP LOCKED}, so that any number of server processes share them, each batch run in one
 * transaction ({@link Timeline#runBatch}), as the test clock runs a test tenant's.
 *
 * <p>Tenant by tenant, whichever is due first: the rows of {@linkplain Job#parallel parallel} kinds (the billing run's,
 * the first charges) due before the tenant's earliest pending row of an ordered kind, {@link #parallelism} batches at
 * once; or the rows of ordered kinds due up to its earliest parallel row (at that instant too), one batch after another
 * in {@code run_at, id} order; then again, until nothing is due. So rows whose order matters (an invoice's dunning steps, its retries and resolves) keep it within a process,
 * and a row of a parallel kind never runs before an ordered row due earlier. The clock is read again every round:
 * work that the run schedules "now" (an issued invoice's first charge) is taken in the same drain.
 *
 * <p>{@link #stop} is looked at between batches and when a claim comes back: a stopping process finishes the batches in
 * its hands and claims no more (a claim that ends after the stop keeps nothing); the rows it did not claim stay pending
 * for the other processes (or for its next start).
 */
public final class LiveDrain {
    /** How many rows one transaction claims and runs. */
    static final int BATCH = 500;

    private final Database db;
    private final TimelineStore store;
    private final Timeline timeline;
    private final int parallelism;
    private final int batch;
    private volatile boolean stopped;

    public LiveDrain(Database db, TimelineStore store, Timeline timeline) {
        this(db, store, timeline, db.dialect().family() == SQLDialect.H2 ? 1 : 4, BATCH);
    }

    /** {@code batch}: rows claimed at once (the server's {@code TOLLGATE_LIVE_BATCH}); the default parallelism. */
    public static LiveDrain withBatch(Database db, TimelineStore store, Timeline timeline, int batch) {
        return new LiveDrain(db, store, timeline, db.dialect().family() == SQLDialect.H2 ? 1 : 4, batch);
    }

    /** {@code parallelism}: how many batches of parallel kinds run at once in this process. */
    public LiveDrain(Database db, TimelineStore store, Timeline timeline, int parallelism) {
        this(db, store, timeline, parallelism, BATCH);
    }

    private LiveDrain(Database db, TimelineStore store, Timeline timeline, int parallelism, int batch) {
        if (parallelism < 1) throw new IllegalArgumentException("parallelism must be at least 1");
        if (batch < 1) throw new IllegalArgumentException("batch must be at least 1");
        this.db = db;
        this.store = store;
        this.timeline = timeline;
        this.parallelism = parallelism;
        this.batch = batch;
    }

    /** No batch is claimed after this; those running finish. */
    public void stop() {
        stopped = true;
    }

    public boolean stopped() {
        return stopped;
    }

    /**
     * Runs live tenants' rows due by {@code now} (read again each round) until none is left that this process can claim,
     * or until {@link #stop}; answers how many ran. Rows other processes hold are left to them.
     */
    public int drain(Supplier<Instant> now) {
        int ran = 0;
        while (!stopped) {
            Instant upTo = now.get();
            int round = 0;
            for (String tenant : store.liveTenantsDue(db.dsl(), upTo)) {
                if (stopped) break;
                round += drainTenant(tenant, upTo, now);
            }
            if (round == 0) return ran;
            ran += round;
        }
        return ran;
    }

    /**
     * One tenant's rows due by {@code upTo}, in steps: the ordered rows due up to the earliest parallel row (at its
     * instant too: ordered rows come first), one batch after another; or the parallel rows due before the earliest
     * ordered row, side by side; whichever is due first, until nothing is left that this process can claim.
     */
    private int drainTenant(String tenant, Instant upTo, Supplier<Instant> now) {
        Set<String> parallelKinds = timeline.parallelKinds();
        Kinds ordered = Kinds.allBut(parallelKinds);
        Kinds parallel = Kinds.only(parallelKinds);
        int ran = 0;
        while (!stopped) {
            Instant nextOrdered = store.nextDueOf(db.dsl(), tenant, upTo, ordered);
            Instant nextParallel = store.nextDueOf(db.dsl(), tenant, upTo, parallel);
            int n;
            if (nextOrdered == null && nextParallel == null) break;
            if (nextOrdered != null && (nextParallel == null || !nextOrdered.isAfter(nextParallel))) {
                n = drain(tenant, nextParallel == null ? upTo : nextParallel, true, ordered, new AtomicReference<>(Cursor.START), now);
            } else {
                n = nextOrdered == null ? inParallel(tenant, upTo, true, parallel, now) : inParallel(tenant, nextOrdered, false, parallel, now);
            }
            // Nothing claimed: other processes hold what is due; they run it.
            if (n == 0) break;
            ran += n;
        }
        return ran;
    }

    private int inParallel(String tenant, Instant bound, boolean inclusive, Kinds kinds, Supplier<Instant> now) {
        AtomicReference<Cursor> cursor = new AtomicReference<>(Cursor.START);
        if (parallelism == 1) return drain(tenant, bound, inclusive, kinds, cursor, now);
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> running = new ArrayList<>(parallelism);
            for (int i = 0; i < parallelism; i++) running.add(workers.submit(() -> drain(tenant, bound, inclusive, kinds, cursor, now)));
            int ran = 0;
            for (Future<Integer> f : running) ran += Futures.result(f);
            return ran;
        }
    }

    /**
     * One worker: batch after batch, each claimed above the highest row claimed so far by this pass. {@code ranAt}: the
     * instant the rows are marked done at (the system clock's, as the jobs of live tenants read it).
     */
    private int drain(String tenant, Instant bound, boolean inclusive, Kinds kinds, AtomicReference<Cursor> cursor, Supplier<Instant> ranAt) {
        int ran = 0;
        while (!stopped) {
            int n = timeline.runBatch(tx -> {
                List<Due> claimed = store.claimUpTo(tx, tenant, bound, inclusive, batch, kinds, cursor.get());
                // A claim still under way when the stop came keeps nothing (its transaction ends, the rows are free): the
                // stop may since have released rows this claim met, for the next node (decision 062).
                if (stopped) return List.of();
                if (!claimed.isEmpty()) {
                    Due last = claimed.getLast();
                    cursor.accumulateAndGet(new Cursor(last.runAt(), last.id()), Cursor::max);
                }
                return claimed;
            }, (tx, due) -> ranAt.get());
            if (n == 0) break;
            ran += n;
            // A month-end fills tables faster than autovacuum analyzes them (decision 059).
            db.keepStatistics();
        }
        return ran;
    }

}
