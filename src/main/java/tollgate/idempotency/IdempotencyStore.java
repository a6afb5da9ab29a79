package tollgate.idempotency;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;

/** SQL for remembered POST responses. Bodies are sealed: an answer may carry license keys. */
public final class IdempotencyStore {
    private final tollgate.core.Vault vault;

    public IdempotencyStore(tollgate.core.Vault vault) {
        this.vault = vault;
    }

    /**
     * A key's row: {@code status} and {@code body} are null while the first request still runs; {@code claimedAt} is when
     * the running request claimed it (null once answered), {@code recovery} the object its work made first, if recorded;
     * {@code aliveAt} the last time its process said the request still runs (decision 077; null: not yet).
     */
    public record Entry(String requestHash, String state, Integer status, String contentType, String body, Instant claimedAt,
                        String recovery, Instant aliveAt) {
        /** The claim's last sign of life: its keep-alive, or its claim. */
        public Instant lastSign() {
            return aliveAt != null && (claimedAt == null || aliveAt.isAfter(claimedAt)) ? aliveAt : claimedAt;
        }
    }

    /**
     * Claims the key at {@code claimedAt}, made at {@code createdAt} (both the server's time, decision 078: the purge
     * counts from the latter); false when another request has it already.
     */
    public boolean tryClaim(DSLContext db, String tenantId, String key, String requestHash, Instant createdAt, Instant claimedAt) {
        return db.execute("insert into idempotency_keys (tenant_id, idem_key, request_hash, state, created_at, claimed_at) "
                + "values (?, ?, ?, 'running', ?, ?) on conflict do nothing", tenantId, key, requestHash, createdAt, claimedAt) == 1;
    }

    /** A key taken over: what the cut-off request recorded as made (null: nothing). */
    public record TakenOver(String recovery) {}

    /**
     * Takes over a key still running under the claim made at {@code claimedAt} (its request cut off by a crash, decision
     * 075), as claimed at {@code now}; empty when it is no longer that claim (answered, released, or taken over by
     * another retry first), or when its process said after {@code silentSince} that the request still runs (decision
     * 077). What the cut-off request recorded is read after the take-over, in its transaction: a record committed while
     * the take-over waited for the row is seen, and none can come after it.
     */
    public Optional<TakenOver> takeOver(DSLContext db, String tenantId, String key, Instant claimedAt, Instant silentSince, Instant now) {
        if (db.execute("update idempotency_keys set claimed_at = ?, alive_at = null where tenant_id = ? and idem_key = ? "
                + "and state = 'running' and claimed_at = ? and (alive_at is null or alive_at <= ?)",
                now, tenantId, key, claimedAt, silentSince) != 1) return Optional.empty();
        return Optional.of(new TakenOver(db.fetchOne("select recovery from idempotency_keys where tenant_id = ? and idem_key = ?",
                tenantId, key).get(0, String.class)));
    }

    /**
     * Says that the request of the claim made at {@code claimedAt} still runs, at {@code now} (decision 077); false when
     * the key is no longer that claim's (answered, released, or taken over).
     */
    public boolean keepAlive(DSLContext db, String tenantId, String key, Instant claimedAt, Instant now) {
        return db.execute("update idempotency_keys set alive_at = ? where tenant_id = ? and idem_key = ? and state = 'running' "
                + "and claimed_at = ?", now, tenantId, key, claimedAt) == 1;
    }

    /**
     * Records the object the work of the claim made at {@code claimedAt} made first; false when the key is no longer that
     * claim's (taken over), so that the caller rolls its transaction back.
     */
    public boolean recover(DSLContext db, String tenantId, String key, Instant claimedAt, String objectId) {
        return db.execute("update idempotency_keys set recovery = ? where tenant_id = ? and idem_key = ? and state = 'running' "
                + "and claimed_at = ?", objectId, tenantId, key, claimedAt) == 1;
    }

    /**
     * Claims the key and keeps its answer in one statement, for work done in the same transaction before it (decision
     * 066); false, writing nothing, when another request has the key already.
     */
    public boolean claimAnswered(DSLContext db, String tenantId, String key, String requestHash, Instant createdAt, Idempotency.Answer answer) {
        return db.execute("insert into idempotency_keys (tenant_id, idem_key, request_hash, state, created_at, status, content_type, body) "
                + "values (?, ?, ?, 'done', ?, ?, ?, ?) on conflict do nothing", tenantId, key, requestHash, createdAt, answer.status(),
                answer.contentType(), vault.sealText(answer.body(), tenantId + "/" + key)) == 1;
    }

    /** A key, its request and the answer to keep for it: one row of {@link #claimAllAnswered}. */
    public record Claim(String key, String requestHash, Idempotency.Answer answer) {}

    /**
     * {@link #claimAnswered} for many keys in one statement, in key order (two transactions claiming the same keys wait in
     * the same order); answers how many were claimed, which is fewer than asked when another request has one of them.
     */
    public int claimAllAnswered(DSLContext db, String tenantId, Instant createdAt, List<Claim> claims) {
        if (claims.isEmpty()) return 0;
        List<Claim> sorted = new ArrayList<>(claims);
        sorted.sort(java.util.Comparator.comparing(Claim::key));
        List<Object[]> rows = new ArrayList<>(sorted.size());
        for (Claim c : sorted)
            rows.add(new Object[] {tenantId, c.key(), c.requestHash(), createdAt, c.answer().status(), c.answer().contentType(),
                    vault.sealText(c.answer().body(), tenantId + "/" + c.key())});
        return tollgate.core.Bulk.insertRows(db, "insert into idempotency_keys (tenant_id, idem_key, request_hash, state, created_at, "
                + "status, content_type, body) values", "(?, ?, ?, 'done', ?, ?, ?, ?)", "on conflict do nothing", rows);
    }

    public Optional<Entry> find(DSLContext db, String tenantId, String key) {
        return db.fetchOptional("select request_hash, state, status, content_type, body, claimed_at, recovery, alive_at from idempotency_keys "
                        + "where tenant_id = ? and idem_key = ?",
                tenantId, key).map(r -> entry(r, tenantId + "/" + key));
    }

    /** Keeps the answer of the claim made at {@code claimedAt}; nothing when a retry has taken the key over since. */
    public void complete(DSLContext db, String tenantId, String key, Instant claimedAt, Idempotency.Answer answer) {
        db.execute("update idempotency_keys set state = 'done', status = ?, content_type = ?, body = ?, claimed_at = null, "
                        + "alive_at = null "
                        + "where tenant_id = ? and idem_key = ? and state = 'running' and claimed_at = ?",
                answer.status(), answer.contentType(), vault.sealText(answer.body(), tenantId + "/" + key), tenantId, key, claimedAt);
    }

    /** Keeps {@code answer} in place of the answer kept for the key. */
    public void replace(DSLContext db, String tenantId, String key, Idempotency.Answer answer) {
        db.execute("update idempotency_keys set status = ?, content_type = ?, body = ? where tenant_id = ? and idem_key = ? and state = 'done'",
                answer.status(), answer.contentType(), vault.sealText(answer.body(), tenantId + "/" + key), tenantId, key);
    }

    /**
     * Lets the key go for the claim made at {@code claimedAt} (nothing when a retry has taken it over since): deleted when
     * its work recorded no object, so the request runs as new when sent again; otherwise left running as claimed at
     * {@link #RELEASED}, for the next retry to take over at once and resume from the object (running the work as new
     * could make it twice: a second credit note, a second refund).
     */
    public void release(DSLContext db, String tenantId, String key, Instant claimedAt) {
        int gone = db.execute("delete from idempotency_keys where tenant_id = ? and idem_key = ? and state = 'running' "
                + "and claimed_at = ? and recovery is null", tenantId, key, claimedAt);
        if (gone == 0)
            db.execute("update idempotency_keys set claimed_at = ?, alive_at = null where tenant_id = ? and idem_key = ? "
                    + "and state = 'running' and claimed_at = ? and recovery is not null", RELEASED, tenantId, key, claimedAt);
    }

    /**
     * The claim time of a key released with an object made: long past (taken over at once), and never a request's own
     * claim time, so no request still running can mistake the key for its own.
     */
    static final Instant RELEASED = Instant.EPOCH;

    /**
     * Drops the keys made before {@code cutoff} (the server's time): answered ones, and those a request cut off by a crash or the database's
     * loss left running (no request lives a day, and the contract keeps a key 24 hours, not for ever).
     */
    public int purgeCreatedBefore(DSLContext db, String tenantId, Instant cutoff) {
        return db.execute("delete from idempotency_keys where tenant_id = ? and created_at < ?", tenantId, cutoff);
    }

    private Entry entry(Record r, String associatedData) {
        byte[] sealed = r.get("body", byte[].class);
        return new Entry(r.get("request_hash", String.class), r.get("state", String.class),
                r.get("status", Integer.class), r.get("content_type", String.class),
                sealed == null ? null : vault.openText(sealed, associatedData), r.get("claimed_at", Instant.class),
                r.get("recovery", String.class), r.get("alive_at", Instant.class));
    }
}
