package tollgate.timeline;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tollgate.core.Database;
import tollgate.events.EventLog;

/**
 * The one queue of future work. Jobs register by kind; a due row is claimed, run and marked done in one
 * transaction. A failing job is retried with backoff (1, 2, 4, 8 minutes) and then left {@code dead}: the tenant is
 * told ({@code timeline.job_dead}) and the job's {@link Job#onDead} takes up what the row leaves undone.
 */
public final class Timeline {
    private static final Logger log = LoggerFactory.getLogger(Timeline.class);
    static final int MAX_ATTEMPTS = 5;
    private static final String JOB_DEAD_EVENT = "timeline.job_dead";

    private final Database db;
    private final TimelineStore store;
    private final EventLog events;
    private final Duration lease;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    /** Staged batches whose first step has committed and whose last has not yet ended (by identity). */
    private final Set<StagedRun<?>> unfinished = java.util.Collections.synchronizedSet(
            java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
    private final java.util.concurrent.atomic.AtomicInteger bulkRunning = new java.util.concurrent.atomic.AtomicInteger();
    private volatile long bulkEndedAt = System.nanoTime() - BULK_QUIET_NANOS;
    /** How long after bulk work it still counts as running: the gap between one batch and the next is not a pause. */
    private static final long BULK_QUIET_NANOS = 1_000_000_000L;

    public Timeline(Database db, TimelineStore store, EventLog events) {
        this(db, store, events, LEASE);
    }

    /** {@code lease}: how long a staged job's rows stay leased between its steps (the server's {@code TOLLGATE_LIVE_LEASE_SECONDS}). */
    public Timeline(Database db, TimelineStore store, EventLog events, Duration lease) {
        if (lease.isNegative() || lease.isZero()) throw new IllegalArgumentException("the lease must be positive");
        this.db = db;
        this.store = store;
        this.events = events;
        this.lease = lease;
    }

    public void register(String kind, Job job) {
        if (jobs.putIfAbsent(kind, job) != null) throw new IllegalStateException("job kind registered twice: " + kind);
    }

    /** The kinds whose rows of one instant may run side by side ({@link Job#parallel}). */
    public Set<String> parallelKinds() {
        Set<String> kinds = new HashSet<>();
        jobs.forEach((kind, job) -> {
            if (job.parallel()) kinds.add(kind);
        });
        return kinds;
    }

    /**
     * Whether rows of {@linkplain Job#parallel parallel} kinds (the billing run's) are running in this process now:
     * background work that can wait (webhook deliveries) gives them the CPU and the database.
     */
    public boolean bulkWorkRunning() {
        return bulkRunning.get() > 0 || System.nanoTime() - bulkEndedAt < BULK_QUIET_NANOS;
    }

    private void bulkEnded() {
        bulkEndedAt = System.nanoTime();
        bulkRunning.decrementAndGet();
    }

    public void schedule(DSLContext tx, String tenantId, Instant dueAt, String kind, String ref, Instant now) {
        if (!jobs.containsKey(kind)) throw new IllegalArgumentException("unknown job kind: " + kind);
        store.schedule(tx, tenantId, dueAt, kind, ref, now);
        scheduled(tenantId, dueAt);
    }

    /** The key of the earliest instant a tenant's rows were scheduled at in the running {@link Database#inOne} transaction. */
    private record EarliestScheduled(String tenantId) {}

    private void scheduled(String tenantId, Instant dueAt) {
        EarliestScheduled key = new EarliestScheduled(tenantId);
        Instant earliest = db.kept(key);
        if (earliest == null || dueAt.isBefore(earliest)) db.keep(key, dueAt);
    }

    /**
     * Inside {@link Database#inOne}: the earliest instant this transaction scheduled a row of the tenant at, or null when
     * it scheduled none (decision 058: a test tenant's request that made nothing due skips the after-commit check).
     * Outside: null, whatever was scheduled.
     */
    public Instant earliestScheduled(String tenantId) {
        return db.kept(new EarliestScheduled(tenantId));
    }

    /** The first pending instant after {@code after} of {@code kind} for {@code ref}. */
    public Optional<Instant> nextPending(DSLContext tx, String tenantId, String kind, String ref, Instant after) {
        return store.nextPending(tx, tenantId, kind, ref, after);
    }

    /** A row of a typed kind: its reference written as the kind writes it. */
    public <R> void schedule(DSLContext tx, String tenantId, Instant dueAt, JobKind<R> kind, R ref, Instant now) {
        schedule(tx, tenantId, dueAt, kind.name(), kind.write(ref), now);
    }

    public <R> void scheduleAll(DSLContext tx, String tenantId, Instant dueAt, JobKind<R> kind, List<R> refs, Instant now) {
        scheduleAll(tx, tenantId, dueAt, kind.name(), refs.stream().map(kind::write).toList(), now);
    }

    public void scheduleAll(DSLContext tx, String tenantId, Instant dueAt, String kind, List<String> refs, Instant now) {
        if (!jobs.containsKey(kind)) throw new IllegalArgumentException("unknown job kind: " + kind);
        store.scheduleAll(tx, tenantId, dueAt, kind, refs, now);
        if (!refs.isEmpty()) scheduled(tenantId, dueAt);
    }

    /**
     * Claims one due row with {@code claim}, runs it and marks it done, all in one transaction.
     * {@code beforeRun} sees the claimed row first (the test clock moves to its time there).
     * Answers false when nothing was due.
     */
    public boolean runOne(Function<DSLContext, Optional<Due>> claim, BeforeRun beforeRun) {
        Due[] claimed = new Due[1];
        Instant[] ranAt = new Instant[1];
        boolean[] bulk = new boolean[1];
        try {
            return db.tx(tx -> {
                Optional<Due> next = claim.apply(tx);
                if (next.isEmpty()) return false;
                Due due = next.get();
                claimed[0] = due;
                Job job = jobs.get(due.kind());
                if (job == null) throw new IllegalStateException("no job registered for kind " + due.kind());
                Instant at = beforeRun.at(tx, due);
                ranAt[0] = at;
                if (job.parallel() && !bulk[0]) {
                    bulk[0] = true;
                    bulkRunning.incrementAndGet();
                }
                job.run(tx, due);
                store.markDone(tx, due.id(), at);
                return true;
            });
        } catch (RuntimeException e) {
            Due due = claimed[0];
            if (due == null) throw e;
            if (bulk[0]) {
                bulkEnded();
                bulk[0] = false;
            }
            // The database went away under the job (a restart, a failover): the job is not at fault and its row, rolled
            // back with it, is still pending; it is claimed again as soon as the database answers, not a minute on, and
            // no attempt is spent on it (decision 051).
            if (Database.unavailable(e)) throw e;
            recordFailure(due, ranAt[0] != null ? ranAt[0] : due.runAt(), e);
            return true;
        } finally {
            if (bulk[0]) bulkEnded();
        }
    }

    /**
     * Claims a batch of rows due at one instant with {@code claim} and runs them in one transaction, marking
     * them done there; answers how many ran (0: nothing was due). When the batch fails, its rows are run
     * again one by one, so a single failing row is retried alone and the others still run exactly once.
     */
    public int runBatch(Function<DSLContext, List<Due>> claim, BeforeRun beforeRun) {
        List<Due> claimed = new ArrayList<>();
        List<StagedRun<?>> staged = new ArrayList<>();
        boolean[] bulk = new boolean[1];
        try {
            int ran;
            try {
                ran = db.tx(tx -> {
                    staged.clear();
                    List<Due> dues = claim.apply(tx);
                    if (dues.isEmpty()) return 0;
                    claimed.addAll(dues);
                    if (!bulk[0] && dues.stream().anyMatch(d -> jobs.get(d.kind()) != null && jobs.get(d.kind()).parallel())) {
                        bulk[0] = true;
                        bulkRunning.incrementAndGet();
                    }
                    Instant at = beforeRun.at(tx, dues.get(0));
                    Map<String, List<Due>> byKind = new LinkedHashMap<>();
                    for (Due d : dues) byKind.computeIfAbsent(d.kind(), k -> new ArrayList<>()).add(d);
                    List<Due> plain = new ArrayList<>(dues.size());
                    for (Map.Entry<String, List<Due>> e : byKind.entrySet()) {
                        Job job = jobs.get(e.getKey());
                        if (job == null) throw new IllegalStateException("no job registered for kind " + e.getKey());
                        if (job.staged() == null) plain.addAll(e.getValue());
                    }
                    // Marked done first, in the same transaction: the jobs may end holding a lock that other batches wait
                    // for until this commits (the invoice numbers), and the update need not happen under it.
                    store.markAllDone(tx, plain, at);
                    for (Map.Entry<String, List<Due>> e : byKind.entrySet()) {
                        Job job = jobs.get(e.getKey());
                        if (job.staged() == null) {
                            job.runAll(tx, e.getValue());
                        } else {
                            Instant until = at.plus(lease);
                            staged.add(StagedRun.prepare(job.staged(), tx, e.getValue(), until));
                            store.lease(tx, e.getValue(), until);
                        }
                    }
                    return dues.size();
                });
            } catch (RuntimeException e) {
                if (claimed.isEmpty() || Database.unavailable(e)) throw e;
                for (Due due : claimed) runOne(tx -> store.lock(tx, due.id()), beforeRun);
                return claimed.size();
            }
            unfinished.addAll(staged);
            try {
                for (StagedRun<?> run : staged) {
                    finish(run, beforeRun);
                    unfinished.remove(run);
                }
            } finally {
                unfinished.removeAll(staged);
            }
            return ran;
        } finally {
            if (bulk[0]) bulkEnded();
        }
    }

    /**
     * For a stop whose bound has passed (decision 062): the rows of staged batches this process prepared and has not
     * finished (a gateway slower than the bound, or batches still waiting their turn) get back the {@code run_at} they
     * were claimed with, instead of staying leased for {@link #LEASE}, so that the next node takes them up at once. The
     * attempts were written ahead, so the next node asks the gateway again with the same idempotency key: never a second
     * charge. Rows this process's own last step holds locked at that moment are left to it (a stop does not wait on
     * them); should that step come later, it finds the rows done, or runs them first under their row locks. Rows given a
     * retry's delay or leased again since are left as they are. Answers how many rows were released.
     */
    public int releaseUnfinished() {
        List<StagedRun<?>> runs;
        synchronized (unfinished) {
            runs = List.copyOf(unfinished);
        }
        if (runs.isEmpty()) return 0;
        return db.tx(tx -> {
            int released = 0;
            for (StagedRun<?> run : runs) released += store.release(tx, run.dues(), run.leasedUntil());
            return released;
        });
    }

    /**
     * How long rows of a {@linkplain Job#staged staged} job stay leased between their first and last step: should the
     * worker die in between, they run again after this (their job takes up what was left), and not before. The default;
     * a shorter lease only risks a second node asking the gateway again with the same idempotency key while the first
     * still waits, which the key makes harmless (decision 043).
     */
    public static final Duration LEASE = Duration.ofMinutes(10);

    /** A staged job's rows, prepared and committed; {@link #finish} takes them on. */
    private record StagedRun<P>(Job.Staged<P> job, List<Due> dues, P prepared, Instant leasedUntil) {
        static <P> StagedRun<P> prepare(Job.Staged<P> job, DSLContext tx, List<Due> dues, Instant leasedUntil) {
            return new StagedRun<>(job, List.copyOf(dues), job.prepare(tx, dues), leasedUntil);
        }
    }

    /**
     * The second and third steps of a staged job. Should either fail, each row still pending is run alone with its job's
     * {@link Job#run} (retried and given up as any row), which finds and takes up what the first step wrote.
     */
    private <P> void finish(StagedRun<P> run, BeforeRun beforeRun) {
        try {
            run.job().outside(run.prepared());
            db.tx(tx -> {
                List<Due> still = store.relock(tx, run.dues());
                if (still.isEmpty()) return null;
                Instant at = beforeRun.at(tx, still.get(0));
                run.job().finish(tx, still, run.prepared());
                store.markAllDone(tx, still, at);
                return null;
            });
        } catch (RuntimeException e) {
            log.warn("a staged batch of {} rows failed after its first step; each runs alone", run.dues().size(), e);
            // As claimed, before the lease: a failure is retried from when the row ran, as any row's.
            for (Due due : run.dues())
                runOne(tx -> store.lock(tx, due.id()).map(locked -> new Due(locked.id(), locked.tenantId(), locked.dueAt(), due.runAt(),
                        locked.kind(), locked.ref(), locked.attempts())), beforeRun);
        }
    }

    /**
     * Records a failed run at {@code at}: a retry, or after the last attempt the row's death, which the tenant is told of
     * and the job's {@link Job#onDead} follows in the same transaction. Should that follow-up fail as well, the row is
     * left dead (and the tenant told) without it, so that a broken follow-up cannot keep a row alive for ever.
     */
    private void recordFailure(Due due, Instant at, RuntimeException e) {
        int attempt = due.attempts() + 1;
        // From when it ran, not from when it was due: a worker behind its backlog would otherwise retry at once.
        Instant ran = at.isAfter(due.runAt()) ? at : due.runAt();
        Instant retryAt = attempt >= MAX_ATTEMPTS ? null : ran.plus(Duration.ofMinutes(1L << (attempt - 1)));
        log.warn("timeline job failed kind={} ref={} attempt={} retry_at={}", due.kind(), due.ref(), attempt, retryAt, e);
        String message = e.getClass().getSimpleName() + ": " + e.getMessage();
        String error = message.length() > 2000 ? message.substring(0, 2000) : message;
        if (retryAt != null) {
            db.tx(tx -> {
                store.markFailed(tx, due.id(), error, retryAt);
                return null;
            });
            return;
        }
        log.error("timeline job dead kind={} ref={} tenant={} after {} attempts", due.kind(), due.ref(), due.tenantId(), attempt);
        Job job = jobs.get(due.kind());
        try {
            db.tx(tx -> {
                markDead(tx, due, attempt, error, at);
                if (job != null) job.onDead(tx, due);
                return null;
            });
        } catch (RuntimeException followUp) {
            log.error("what follows a dead timeline job failed kind={} ref={}", due.kind(), due.ref(), followUp);
            db.tx(tx -> {
                markDead(tx, due, attempt, error, at);
                return null;
            });
        }
    }

    /**
     * The row is left dead and {@code timeline.job_dead} says which, for the tenant's operator. The error itself stays
     * with the server (the row's {@code last_error} and the log): an exception's text may show the server's internals.
     */
    private void markDead(DSLContext tx, Due due, int attempts, String error, Instant at) {
        store.markFailed(tx, due.id(), error, null);
        events.append(tx, due.tenantId(), JOB_DEAD_EVENT, null, at, Map.of("kind", due.kind(), "ref", due.ref(),
                "attempts", attempts));
    }

    /** Runs due work of live tenants up to {@code upTo} as the background worker does ({@link LiveDrain}), until none is left. */
    public int drainLive(Instant upTo) {
        return new LiveDrain(db, store, this).drain(() -> upTo);
    }

    @FunctionalInterface
    public interface BeforeRun {
        /** Answers the instant the job runs at. */
        Instant at(DSLContext tx, Due due);
    }
}
