package tollgate.timeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import tollgate.core.Database;
import tollgate.core.Futures;
import tollgate.core.Problem;
import tollgate.tenants.Tenant;
import tollgate.tenants.TenantClock;
import tollgate.timeline.TimelineStore.Kinds;

/**
 * {@code POST /v1/test_clock/advance}: runs a test tenant's due work in {@code run_at} order, the clock set
 * to each row's time before it runs, then leaves the clock at the target.
 *
 * <p>Instant by instant: the clock moves to the earliest pending instant (under the tenant's row lock, never back),
 * then that instant's rows run in batches of {@link #BATCH}, each batch in one transaction: first the rows whose
 * order matters (an invoice's dunning steps of one day, its retries and resolves), in the order they were scheduled,
 * one batch after another; then those of {@linkplain Job#parallel parallel} kinds, {@link #PARALLEL} batches at once
 * on PostgreSQL (the billing run of 100,000 accounts on the 1st keeps both the server and the database busy that
 * way). So a suspension or cancellation due at the same instant as a renewal comes first, and the renewal sees it.
 * Rows scheduled at that instant meanwhile (the charges of invoices just issued) run before the clock moves on. The
 * clock never passes an instant that still has pending rows, so a second advance of the same tenant joins in at that
 * instant rather than running later rows early.
 */
public final class TestClock {
    /** How many rows due at one instant run in one transaction. */
    static final int BATCH = 500;

    /** How many batches of one instant run at once on PostgreSQL; H2 runs them one after another. */
    static final int PARALLEL = 2;

    private final Database db;
    private final TenantClock tenants;
    private final TimelineStore store;
    private final Timeline timeline;

    public TestClock(Database db, TenantClock tenants, TimelineStore store, Timeline timeline) {
        this.db = db;
        this.tenants = tenants;
        this.store = store;
        this.timeline = timeline;
    }

    public Instant now(Tenant tenant) {
        requireTestMode(tenant);
        return tenants.readTestClock(db.dsl(), tenant.id());
    }

    /**
     * The furthest one advance may move the clock: two years, so a yearly plan renews twice in one step (Stripe limits a
     * test clock's advance to two intervals of its shortest subscription). Each instant passed is at least one
     * transaction (every tenant purges idempotency keys daily): without a limit one request could run millions.
     */
    public static final java.time.Period MAX_ADVANCE = java.time.Period.ofYears(2);

    public Instant advance(Tenant tenant, Instant to) {
        requireTestMode(tenant);
        Instant start = db.tx(tx -> tenants.lockTestClock(tx, tenant.id()));
        if (to.isBefore(start))
            throw new Problem(422, "clock_in_past", "The test clock is at " + start + "; it cannot go back to " + to, "to");
        Instant furthest = start.atOffset(java.time.ZoneOffset.UTC).plus(MAX_ADVANCE).toInstant();
        if (to.isAfter(furthest))
            throw new Problem(422, "advance_too_far", "The test clock is at " + start + "; one advance may move it at most two years, to "
                    + furthest + "; advance in steps", "to");
        run(tenant, to, null);
        return db.tx(tx -> moveTo(tx, tenant, to));
    }

    /**
     * Runs, without moving the clock, every row of a test tenant due at or before its clock's time (decision 022, 025):
     * what a request made due "now" — a signup's invoice and its first charge, a finalized invoice's charge — has run by
     * the time the request is answered, as a live tenant's worker runs it within a second. Answers how many rows ran.
     * Live tenants: nothing (their worker does it). Nothing due is found without taking the clock's lock.
     */
    public int runDueNow(Tenant tenant) {
        if (!tenant.isTest()) return 0;
        Instant now = tenants.readTestClock(db.dsl(), tenant.id());
        if (store.nextDue(db.dsl(), tenant.id(), now, null) == null) return 0;
        return run(tenant, now, null);
    }

    /**
     * Runs the tenant's due rows of one {@code kind} up to {@code to} as {@link #advance} runs them (in due order, the
     * clock set to each row's time), leaving rows of other kinds for a later advance and the clock at the last row's
     * time; answers how many ran. The billing benchmark times the invoicing with it, apart from the work that issuing
     * schedules at the same instant (charges).
     */
    public int runDue(Tenant tenant, Instant to, String kind) {
        requireTestMode(tenant);
        return run(tenant, to, kind);
    }

    private int run(Tenant tenant, Instant to, String kind) {
        // The rows' work as the live worker does it, though a request runs it: waiting for locks as long as it takes
        // (an API request's own transactions give up after 10 s, decision 064).
        return db.waitingForLocksAsLongAsItTakes(() -> runUpTo(tenant, to, kind));
    }

    private int runUpTo(Tenant tenant, Instant to, String kind) {
        int ran = 0;
        while (true) {
            Instant at = db.tx(tx -> {
                tenants.lockTestClock(tx, tenant.id());
                Instant next = store.nextDue(tx, tenant.id(), to, kind);
                if (next != null) moveTo(tx, tenant, next);
                return next;
            });
            if (at == null) return ran;
            int n = runAt(tenant, at, kind);
            // Nothing could be claimed: another advance of this tenant holds the rows of this instant; wait for it.
            if (n == 0) pause();
            ran += n;
        }
    }

    /**
     * Runs the rows due at {@code at} (of {@code kind}, or all) until none is left to claim: those of ordered kinds
     * first, one batch after another, then those of parallel kinds. A row passed over (one scheduled at this instant by
     * a transaction that had not committed yet) is still pending afterwards, and the next round at this instant, from
     * the start, takes it.
     */
    private int runAt(Tenant tenant, Instant at, String kind) {
        Set<String> parallel = timeline.parallelKinds();
        if (kind != null) {
            Kinds one = Kinds.only(Set.of(kind));
            return parallel.contains(kind) ? inParallel(tenant, at, one) : drain(tenant, at, one, new AtomicLong());
        }
        return drain(tenant, at, Kinds.allBut(parallel), new AtomicLong()) + inParallel(tenant, at, Kinds.only(parallel));
    }

    /** {@link #PARALLEL} workers on PostgreSQL, sharing a cursor: the highest id claimed so far, claimed above. */
    private int inParallel(Tenant tenant, Instant at, Kinds kinds) {
        AtomicLong cursor = new AtomicLong();
        if (db.dialect().family() == SQLDialect.H2) return drain(tenant, at, kinds, cursor);
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> running = new ArrayList<>(PARALLEL);
            for (int i = 0; i < PARALLEL; i++) running.add(workers.submit(() -> drain(tenant, at, kinds, cursor)));
            int ran = 0;
            for (Future<Integer> f : running) ran += Futures.result(f);
            return ran;
        }
    }

    /** One worker: batch after batch of the rows due at {@code at}, each run at the clock's time (at least {@code at}). */
    private int drain(Tenant tenant, Instant at, Kinds kinds, AtomicLong cursor) {
        int ran = 0;
        for (int n; (n = timeline.runBatch(tx -> claim(tx, tenant, at, kinds, cursor), (tx, due) -> tenants.readTestClock(tx, tenant.id()))) > 0; )
            ran += n;
        return ran;
    }

    private List<Due> claim(DSLContext tx, Tenant tenant, Instant at, Kinds kinds, AtomicLong cursor) {
        List<Due> claimed = store.claimAt(tx, tenant.id(), at, BATCH, kinds, cursor.get());
        if (!claimed.isEmpty()) cursor.accumulateAndGet(claimed.getLast().id(), Math::max);
        return claimed;
    }


    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for another advance", e);
        }
    }

    /** Moves the clock forward to {@code at} (never back) and answers the clock's time. */
    private Instant moveTo(DSLContext tx, Tenant tenant, Instant at) {
        Instant now = tenants.lockTestClock(tx, tenant.id());
        if (at.isAfter(now)) {
            tenants.setTestClock(tx, tenant.id(), at);
            return at;
        }
        return now;
    }

    private static void requireTestMode(Tenant tenant) {
        if (!tenant.isTest())
            throw new Problem(403, "test_clock_unavailable", "Live tenants read the system clock; only test tenants have a test clock", null);
    }
}
