package tollgate.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tollgate.core.Database;
import tollgate.core.Problem;
import tollgate.core.RecoveryPoint;
import tollgate.tenants.Tenant;
import tollgate.tenants.TenantClock;
import tollgate.timeline.Due;
import tollgate.timeline.Timeline;

/**
 * {@code Idempotency-Key} on POST, per tenant: the first request with a key runs and its answer (status and
 * body) is kept; a retry with the same body gets that answer, also while the first is still running (it
 * waits for it); a retry with another body is refused with 409. Answers of 500 and above are not kept, so
 * such a request may be retried. Keys live at least 24 hours of the server's time, whatever a test clock does (as in
 * Stripe, decision 078): a daily {@code idempotency.purge} job per tenant removes those older than that.
 */
public final class Idempotency {
    private static final Logger log = LoggerFactory.getLogger(Idempotency.class);
    public static final String PURGE_JOB = "idempotency.purge";
    public static final Duration RETENTION = Duration.ofHours(24);
    private static final Duration WAIT_FOR_FIRST = Duration.ofSeconds(30);
    /**
     * How long a running key may go without a sign of life before a retry takes it over (decision 075): from its claim, or
     * from the last time its process said the request still runs ({@link #KEEP_ALIVE_EVERY}, decision 077). A request
     * that runs long keeps its key while its process lives and reaches the database; one whose process died loses it this
     * long after its last sign, and should it wake after all, its recovery point refuses, so what it made is not made twice.
     */
    public static final Duration TAKEN_OVER_AFTER = Duration.ofMinutes(5);
    /**
     * How often a process says that the requests it runs under a claim still run (decision 077), and how old a claim must
     * be to be said so: a request answered within it writes nothing for it. Five of these fit in {@link #TAKEN_OVER_AFTER}.
     */
    public static final Duration KEEP_ALIVE_EVERY = Duration.ofMinutes(1);

    /** An HTTP answer as it is kept and replayed; {@code replayed} when it is a kept answer given again. */
    public record Answer(int status, String contentType, String body, boolean replayed) {
        public Answer(int status, String contentType, String body) {
            this(status, contentType, body, false);
        }
    }

    private final Database db;
    private final IdempotencyStore store;
    private final TenantClock clock;
    /** The claims this process's requests run under now, kept alive until answered or released (decision 077). */
    private final Set<Claim> held = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public Idempotency(Database db, IdempotencyStore store, TenantClock clock) {
        this.db = db;
        this.store = store;
        this.clock = clock;
    }

    /** Where an open route keeps a key's answer: under {@code tenant}, apart from its other keys by {@code name}. */
    public record Scope(Tenant tenant, String name) {}

    /**
     * {@link #run} for an open route: the key is kept under the scope's tenant as {@code name:sha256(key)}, so that
     * it meets neither the tenant's own keys nor another scope's, and fits the column whatever the key's length.
     */
    public Answer runWithin(Scope scope, String key, String method, String path, byte[] body, Function<Claim, Answer> work) {
        return run(scope.tenant(), scoped(scope, key), method, path, body, work);
    }

    /**
     * {@link #runWithin} for a form of the console, whose key is the form's one-time token: a key left running by a
     * request cut off is never taken over (a person sending the same form again after a crash gets 409, and a fresh form
     * shows what was made); the work may still record what it made ({@link Claim#recoveryPoint}), so that a failure
     * after it keeps the token from running it again.
     */
    public Answer runFormWithin(Scope scope, String key, String method, String path, byte[] body, Function<Claim, Answer> work) {
        String scoped = scoped(scope, key);
        String hash = requestHash(method, path, body);
        return firstOrKept(scope.tenant(), scoped, hash, () -> claimAndRun(scope.tenant(), scoped, hash, work));
    }

    private static String scoped(Scope scope, String key) {
        requireWellFormed(key);
        return scope.name() + ":" + HexFormat.of().formatHex(sha256(key.getBytes(StandardCharsets.UTF_8)));
    }

    private static void requireWellFormed(String key) {
        if (!wellFormed(key))
            throw new Problem(400, "idempotency_key_invalid", "Idempotency-Key must be 1 to 255 characters", "Idempotency-Key");
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A request's hold on its key while its work runs in transactions of its own ({@link #run}): since {@code claimedAt}
     * (the system's time), and, for a retry that took the key over, the object the cut-off request recorded as made
     * ({@code resumedFrom}, null when it recorded none). {@link #NONE}: a request without a key.
     */
    public record Claim(String tenantId, String key, Instant claimedAt, String resumedFrom, IdempotencyStore store) {
        public static final Claim NONE = new Claim(null, null, null, null, null);

        /** Where the work records the object it makes first (decision 075); does nothing for a request without a key. */
        public RecoveryPoint recoveryPoint() {
            if (key == null) return RecoveryPoint.NONE;
            return (tx, objectId) -> {
                if (!store.recover(tx, tenantId, key, claimedAt, objectId))
                    throw Problem.conflict("idempotency_key_taken_over", "This request went so long without a sign of life that a "
                            + "retry with its Idempotency-Key took the key over; the retry's answer stands");
            };
        }
    }

    /**
     * The key is claimed in a transaction of its own, {@code work} runs in its own transactions (it may ask a gateway
     * between them), and its answer is kept in a third. A request cut off between its claim and its answer (a crash, the
     * database going away) leaves the key running: a retry waits for it up to {@link #WAIT_FOR_FIRST}, then answers 409
     * {@code idempotency_key_in_progress} with a {@code Retry-After}, until the key has gone {@link #TAKEN_OVER_AFTER}
     * without a sign of life (its claim, or its process saying it still runs, decision 077); then the retry takes the key
     * over and runs {@code work} again, told what the cut-off request recorded as made ({@link Claim#resumedFrom},
     * decision 075).
     */
    public Answer run(Tenant tenant, String key, String method, String path, byte[] body, Function<Claim, Answer> work) {
        requireWellFormed(key);
        String hash = requestHash(method, path, body);
        return firstOrKept(tenant, key, hash, () -> claimAndRun(tenant, key, hash, work), running -> {
            Instant at = clock.systemNow();
            Optional<IdempotencyStore.TakenOver> taken = db.tx(tx -> store.takeOver(tx, tenant.id(), key, running.claimedAt(),
                    at.minus(TAKEN_OVER_AFTER), at));
            if (taken.isEmpty()) return null;
            String recovery = taken.get().recovery();
            log.warn("Idempotency-Key of tenant {} was left running since {}, last said alive {} (its request cut off); taken over{}",
                    tenant.id(), running.claimedAt(), running.lastSign(), recovery == null ? "" : ", resuming from " + recovery);
            return runFirst(new Claim(tenant.id(), key, at, recovery, store), work);
        });
    }

    /** Claims the key and runs {@code work} under the claim; null, running nothing, when another request has the key. */
    private Answer claimAndRun(Tenant tenant, String key, String hash, Function<Claim, Answer> work) {
        Instant at = clock.systemNow();
        boolean claimed = db.tx(tx -> store.tryClaim(tx, tenant.id(), key, hash, at, at));
        return claimed ? runFirst(new Claim(tenant.id(), key, at, null, store), work) : null;
    }

    /**
     * {@link #run} for work that writes only to this database: the work, the key's claim and its kept answer are one
     * transaction ({@link Database#inOne}), so they commit together or not at all (decision 055). A key already kept is
     * answered from its row (one read) without running the work. Otherwise the key is claimed last, with its answer, in
     * one statement (decision 066): a crash or a lost database before the commit leaves no claim behind, and the same
     * request sent again runs. A second request with the key while the first still runs does its work too, waiting
     * where the first holds a row (the account's lock, or the key's row at the claim): once the first commits, the
     * second is rolled back whole and gets the first's answer; if a wait is longer than the database waits for a lock
     * (10 s, decision 064), it fails as a lost race (503 {@code lock_timeout}) and its retry gets the answer.
     * <p>
     * A refusal changes nothing: whatever the work wrote before it refused is rolled back, and a 4xx answer is then kept
     * for the key in a transaction of its own; an answer of 500 or above is not kept, so the request may be sent again.
     * <p>
     * {@code afterCommit} runs once the first request's transaction has committed (a test tenant's work made due by the
     * change, decision 028) and may answer otherwise; that answer is then kept in place of the first, in a transaction of
     * its own: should that one fail, a retry gets the answer as of the change's commit.
     */
    public Answer runInOne(Tenant tenant, String key, String method, String path, byte[] body, Supplier<Answer> work,
                           UnaryOperator<Answer> afterCommit) {
        requireWellFormed(key);
        String hash = requestHash(method, path, body);
        return firstOrKept(tenant, key, hash, () -> {
            // A replay is answered from the kept row without running the work again (and without its locks); a row
            // still running (a key first sent to a route of many transactions) is waited for as below.
            Optional<IdempotencyStore.Entry> row = store.find(db.dsl(), tenant.id(), key);
            if (row.isPresent()) return keptFor(row.get(), hash);
            Answer first;
            try {
                first = db.inOne(tx -> {
                    Answer answer = work.get();
                    if (answer == null) throw new IllegalStateException("only JSON answers can be kept for replay");
                    if (answer.status() >= 400) throw new Undone(answer);
                    // Claimed by another request (waiting for its commit first, within the lock bound): all of this is undone.
                    if (!store.claimAnswered(tx, tenant.id(), key, hash, clock.systemNow(), answer)) throw new Undone(null);
                    return answer;
                });
            } catch (Undone undone) {
                Answer refusal = undone.answer;
                if (refusal == null || refusal.status() >= 500) return refusal;
                boolean kept = db.tx(tx -> store.claimAnswered(tx, tenant.id(), key, hash, clock.systemNow(), refusal));
                return kept ? refusal : null;
            }
            Answer after = afterCommit.apply(first);
            if (after != first) keepInstead(tenant, key, after);
            return after;
        });
    }

    /**
     * After a change's commit: keeps {@code after} as the key's answer in place of the one kept with the change, in a
     * transaction of its own; should that fail, a retry gets the answer as of the change's commit.
     */
    public void keepInstead(Tenant tenant, String key, Answer after) {
        try {
            db.tx(tx -> { store.replace(tx, tenant.id(), key, after); return null; });
        } catch (RuntimeException e) {
            log.warn("the answer after work due now could not be kept; a retry gets the answer as of the change", e);
        }
    }

    /** Whether {@link #run} and its kin accept {@code key} (else they refuse it with 400 {@code idempotency_key_invalid}). */
    public static boolean wellFormed(String key) {
        return !key.isBlank() && key.length() <= 255;
    }

    /** One of the requests {@link #runAllInOne} runs together: its {@code Idempotency-Key} (null: none) and its request's hash. */
    public record Keyed(String key, String requestHash) {}

    /**
     * {@link #runInOne} for many requests of a tenant at once (decision 068): their work, and each key's claim with its
     * answer, in one transaction. A request that shares a key with an earlier one of them is not run: it runs on its own
     * afterwards by {@link #runInOne}, and gets the first's answer (or a 409). The others' keys are claimed last, in one
     * statement, sent with the work's writes ({@link Database#deferringWrites}). When one of the keys has a row already
     * (a replay, or another request took it meanwhile), or the transaction lost a race for locks, everything is rolled
     * back and none is run here either: each then runs on its own, where a replay is answered from its row (so too when
     * the work fails otherwise: one request's failure is not the others' answer; only the database gone is). Replays are
     * not looked for first, as {@link #runInOne} does: that is one round trip more for every batch to save a rare
     * batch's work.
     * <p>
     * {@code work} gets the positions of the requests to run and answers theirs, in the same order: a refusal (4xx) for a
     * request it wrote nothing for, which is kept for its key like any answer. Answers null for a request left to run on
     * its own; otherwise the answer, committed.
     */
    public List<Answer> runAllInOne(Tenant tenant, List<Keyed> requests, java.util.function.Function<List<Integer>, List<Answer>> work) {
        Answer[] answers = new Answer[requests.size()];
        try {
            // The work's inserts, the audit lines and the keys' claims go to the database together (Database.deferringWrites).
            db.inOne(tx -> db.deferringWrites(() -> {
                Set<String> seen = new java.util.HashSet<>();
                List<Integer> run = new java.util.ArrayList<>(requests.size());
                for (int i = 0; i < requests.size(); i++) {
                    String key = requests.get(i).key();
                    if (key == null || seen.add(key)) run.add(i);
                }
                if (run.isEmpty()) return null;
                List<Answer> done = work.apply(run);
                List<IdempotencyStore.Claim> claims = new java.util.ArrayList<>(run.size());
                for (int j = 0; j < run.size(); j++) {
                    Keyed request = requests.get(run.get(j));
                    Answer answer = done.get(j);
                    if (answer.status() >= 500) throw new IllegalStateException("work run together answered " + answer.status());
                    answers[run.get(j)] = answer;
                    if (request.key() != null) claims.add(new IdempotencyStore.Claim(request.key(), request.requestHash(), answer));
                }
                int claimed = claims.isEmpty() ? 0 : store.claimAllAnswered(tx, tenant.id(), clock.systemNow(), claims);
                int[] sent = db.sendDeferred(tx);
                if (claimed < 0) claimed = sent[sent.length - 1]; // kept back and sent last
                if (claimed != claims.size()) throw new Undone(null);
                return null;
            }));
        } catch (Undone keyTaken) {
            return java.util.Arrays.asList(new Answer[requests.size()]);
        } catch (RuntimeException e) {
            // The database gone is every request's answer (503, decision 051). Anything else, a lost race or a failure of
            // one order's work, must not become the others' answer: each runs on its own, where only its own can fail it.
            if (Database.unavailable(e)) throw e;
            if (!Database.lostRace(e)) log.warn("a batch of {} requests failed; each runs on its own", requests.size(), e);
            return java.util.Arrays.asList(new Answer[requests.size()]);
        }
        return java.util.Arrays.asList(answers);
    }

    /** Rolls back the one transaction of {@link #runInOne}: with the refusal it answers, or null when the key was taken. */
    private static final class Undone extends RuntimeException {
        final transient Answer answer;

        Undone(Answer answer) {
            super(null, null, false, false);
            this.answer = answer;
        }
    }

    /**
     * Runs {@code first} (the claim and, when it is ours, the work: its answer; null when another request has the key) and
     * otherwise answers what that request kept, waiting for it up to {@link #WAIT_FOR_FIRST}.
     */
    private Answer firstOrKept(Tenant tenant, String key, String hash, Supplier<Answer> first) {
        return firstOrKept(tenant, key, hash, first, null);
    }

    /**
     * The same; {@code takeOver} (null: never) is given the key's row once it has gone {@link #TAKEN_OVER_AFTER} without a
     * sign of life and answers as the request that took it over, or null when another retry took it first.
     */
    private Answer firstOrKept(Tenant tenant, String key, String hash, Supplier<Answer> first,
                               Function<IdempotencyStore.Entry, Answer> takeOver) {
        long deadline = System.nanoTime() + WAIT_FOR_FIRST.toNanos();
        while (true) {
            Answer answer = first.get();
            if (answer != null) return answer;
            Optional<IdempotencyStore.Entry> entry = store.find(db.dsl(), tenant.id(), key);
            if (entry.isPresent() && (answer = keptFor(entry.get(), hash)) != null) return answer;
            Duration left = entry.isPresent() ? untilTakenOver(entry.get()) : null;
            if (takeOver != null && left != null && left.isZero() && (answer = takeOver.apply(entry.get())) != null) return answer;
            // A claim old enough to be taken over has no request left to wait for.
            if (System.nanoTime() > deadline || (takeOver == null && left != null && left.isZero())) {
                long retryAfter = takeOver == null || left == null ? 1 : Math.max(1, left.toSeconds());
                throw Problem.conflict("idempotency_key_in_progress", "A request with this Idempotency-Key is still running; retry later")
                        .retryingAfter(retryAfter);
            }
            pause();
        }
    }

    /**
     * How long until a running key may be taken over (zero: now), from its last sign of life; null when it is not running
     * under a known claim.
     */
    private Duration untilTakenOver(IdempotencyStore.Entry e) {
        if (!e.state().equals("running") || e.claimedAt() == null) return null;
        Duration left = Duration.between(clock.systemNow(), e.lastSign().plus(TAKEN_OVER_AFTER));
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** What a request with {@code hash} answers from the key's row: its kept answer, null while it runs; 409 for another request. */
    private static Answer keptFor(IdempotencyStore.Entry e, String hash) {
        if (!e.requestHash().equals(hash))
            throw Problem.conflict("idempotency_key_reused", "This Idempotency-Key was used with another request; use a new key for a new request");
        return e.state().equals("done") ? new Answer(e.status(), e.contentType(), e.body(), true) : null;
    }

    private Answer runFirst(Claim claim, Function<Claim, Answer> work) {
        held.add(claim);
        try {
            Answer answer;
            try {
                answer = work.apply(claim);
                if (answer == null) throw new IllegalStateException("only JSON answers can be kept for replay");
            } catch (RuntimeException e) {
                release(claim);
                throw e;
            }
            if (answer.status() >= 500) {
                release(claim);
            } else {
                db.tx(tx -> { store.complete(tx, claim.tenantId(), claim.key(), claim.claimedAt(), answer); return null; });
            }
            return answer;
        } finally {
            held.remove(claim);
        }
    }

    /**
     * Says, for every claim this process's requests have run under for {@link #KEEP_ALIVE_EVERY} or longer, that its
     * request still runs (decision 077), in one transaction on {@code on}; answers how many it said so for. A claim taken
     * over meanwhile is not touched (its request learns it at its recovery point).
     */
    public int keepAlive(Database on) {
        Instant now = clock.systemNow();
        Instant heldSince = now.minus(KEEP_ALIVE_EVERY);
        List<Claim> old = held.stream().filter(c -> !c.claimedAt().isAfter(heldSince)).toList();
        if (old.isEmpty()) return 0;
        return on.tx(tx -> {
            int kept = 0;
            for (Claim c : old) if (store.keepAlive(tx, c.tenantId(), c.key(), c.claimedAt(), now)) kept++;
            return kept;
        });
    }

    /** How many claims this process's requests run under now (for tests: none once every request has answered). */
    int held() {
        return held.size();
    }

    /**
     * Runs {@link #keepAlive} every {@code every} on a thread of its own (not the timeline worker's, which a month-end keeps
     * busy for longer than that) and on {@code on}, a pool apart from the requests' (many pays waiting on slow cards hold
     * theirs), until the answered stop is run; a failure (the database away) is logged and the next turn tries again.
     */
    public Runnable keepingAlive(Duration every, Database on) {
        java.util.concurrent.ScheduledExecutorService beat = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "idempotency-keep-alive");
            t.setDaemon(true);
            return t;
        });
        beat.scheduleWithFixedDelay(() -> {
            try {
                keepAlive(on);
            } catch (Throwable e) { // an Error too: one escaping would cancel every later turn without a word
                log.warn("running Idempotency-Keys not kept alive this turn", e);
            }
        }, every.toMillis(), every.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        return () -> {
            beat.shutdown();
            try {
                beat.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    /** Lets the key go after its work failed: for a new run, or, when the work recorded an object, for a retry to resume from it. */
    private void release(Claim claim) {
        db.tx(tx -> {
            store.release(tx, claim.tenantId(), claim.key(), claim.claimedAt());
            return null;
        });
    }

    /**
     * The {@code idempotency.purge} job: drop keys older than the retention by the server's clock (a test clock's advance
     * ages no key, decision 078), then come back in a day of the tenant's time.
     */
    public void purge(org.jooq.DSLContext tx, Due due, Timeline timeline) {
        store.purgeCreatedBefore(tx, due.tenantId(), clock.systemNow().minus(RETENTION));
        timeline.schedule(tx, due.tenantId(), due.dueAt().plus(RETENTION), PURGE_JOB, due.ref(), due.dueAt());
    }

    /**
     * The request as compared: method, path and the body as JSON (SPEC §8), so that the same object with its keys in
     * another order or other spacing is the same request. A body that is not JSON is compared byte for byte.
     */
    public static String requestHash(String method, String path, byte[] body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((method + " " + path + "\n").getBytes(StandardCharsets.UTF_8));
            sha.update(canonical(body));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The body written again with every object's keys sorted and no spacing; an empty body reads as {@code {}} (as the
     * handlers read it). Numbers keep their digits (1.0 and 1 stay apart, as they do for the handlers).
     */
    static byte[] canonical(byte[] body) {
        if (body.length == 0) return "{}".getBytes(StandardCharsets.UTF_8);
        byte[] sorted = tollgate.core.Json.sortedKeys(body);
        return sorted == null ? body : sorted;
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the first request with this key", e);
        }
    }

    /** Schedules a new tenant's first purge a day after its creation. */
    public static void scheduleFirstPurge(tollgate.tenants.Ctx ctx, Timeline timeline) {
        timeline.schedule(ctx.tx(), ctx.tenantId(), ctx.now().plus(RETENTION), PURGE_JOB, ctx.tenantId(), ctx.now());
    }
}
