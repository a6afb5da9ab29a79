package tollgate.payments;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.jooq.exception.DataAccessException;
import tollgate.core.Database;

/**
 * The sandbox gateway's memory, in its own table and its own transactions (it stands for a system outside
 * Tollgate): the answer given for each idempotency key, and how many charges each card has had.
 */
public final class SandboxLedger {
    public record Entry(String outcome, String declineReason, String gatewayId) {}

    /** The answer given to one refund. */
    public record RefundEntry(String outcome, String failureReason, String gatewayId) {}

    private final Database db;
    private final Clock clock;

    public SandboxLedger(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public Optional<Entry> find(String idempotencyKey) {
        return db.dsl().fetchOptional("select outcome, decline_reason, gateway_id from sandbox_charges where idempotency_key = ?",
                idempotencyKey).map(r -> new Entry(r.get(0, String.class), r.get(1, String.class), r.get(2, String.class)));
    }

    public int chargesOf(String card) {
        return db.dsl().fetchOne("select count(*) from sandbox_charges where card = ?", card).get(0, Integer.class);
    }

    /** Records the answer for a key; when another call recorded one first, answers that one instead. */
    public Entry record(String idempotencyKey, String card, String token, long amount, String currency, Entry entry) {
        try {
            db.tx(tx -> tx.execute("insert into sandbox_charges (idempotency_key, card, token, amount, currency, outcome, "
                            + "decline_reason, gateway_id, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    idempotencyKey, card, token, amount, currency, entry.outcome(), entry.declineReason(), entry.gatewayId(),
                    Instant.now(clock)));
            return entry;
        } catch (DataAccessException e) {
            return find(idempotencyKey).orElseThrow(() -> e);
        }
    }

    /** A charge not in the ledger yet, with the answer to record for it. */
    public record NewCharge(String idempotencyKey, String card, String token, long amount, String currency, Entry entry) {}

    /** The answers recorded for those of {@code idempotencyKeys} the ledger knows, by key. */
    public java.util.Map<String, Entry> findAll(java.util.List<String> idempotencyKeys) {
        java.util.Map<String, Entry> found = new java.util.HashMap<>();
        if (idempotencyKeys.isEmpty()) return found;
        for (var r : db.dsl().fetch("select idempotency_key, outcome, decline_reason, gateway_id from sandbox_charges where idempotency_key in ("
                + tollgate.core.Sql.placeholders(idempotencyKeys.size()) + ")", idempotencyKeys.toArray()))
            found.put(r.get(0, String.class), new Entry(r.get(1, String.class), r.get(2, String.class), r.get(3, String.class)));
        return found;
    }

    /** {@link #chargesOf} for each of {@code cards} (absent: none). */
    public java.util.Map<String, Integer> chargesOfAll(java.util.List<String> cards) {
        java.util.Map<String, Integer> counts = new java.util.HashMap<>();
        for (var r : db.dsl().fetch("select card, count(*) from sandbox_charges where card in (" + tollgate.core.Sql.placeholders(cards.size())
                + ") group by card", cards.toArray()))
            counts.put(r.get(0, String.class), r.get(1, Integer.class));
        return counts;
    }

    /**
     * Records every charge in one transaction; false, and nothing recorded, when one of their keys was recorded by
     * someone else first (the key is the ledger's primary key): the caller then records them one by one.
     */
    public boolean recordAll(java.util.List<NewCharge> charges) {
        if (charges.isEmpty()) return true;
        Instant now = Instant.now(clock);
        java.util.List<Object[]> rows = new java.util.ArrayList<>(charges.size());
        for (NewCharge c : charges)
            rows.add(new Object[] {c.idempotencyKey(), c.card(), c.token(), c.amount(), c.currency(), c.entry().outcome(),
                    c.entry().declineReason(), c.entry().gatewayId(), now});
        try {
            db.tx(tx -> {
                tollgate.core.Bulk.run(tx, "insert into sandbox_charges (idempotency_key, card, token, amount, currency, outcome, "
                        + "decline_reason, gateway_id, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows);
                return null;
            });
            return true;
        } catch (DataAccessException e) {
            if (findAll(charges.stream().map(NewCharge::idempotencyKey).toList()).isEmpty()) throw e;
            return false;
        }
    }

    /** What the charge the sandbox answered as {@code gatewayId} took, when it succeeded. */
    public Optional<Long> succeededAmount(String gatewayId) {
        return db.dsl().fetchOptional("select amount from sandbox_charges where gateway_id = ? and outcome = 'succeeded'", gatewayId)
                .map(r -> r.get(0, Long.class));
    }

    /** What the sandbox already gave back of that charge. */
    public long refundedOf(String gatewayId) {
        Long sum = db.dsl().fetchOne("select sum(amount) from sandbox_refunds where charge = ? and outcome = 'succeeded'", gatewayId)
                .get(0, Long.class);
        return sum == null ? 0 : sum;
    }

    public Optional<RefundEntry> findRefund(String idempotencyKey) {
        return db.dsl().fetchOptional("select outcome, failure_reason, gateway_id from sandbox_refunds where idempotency_key = ?",
                idempotencyKey).map(r -> new RefundEntry(r.get(0, String.class), r.get(1, String.class), r.get(2, String.class)));
    }

    /** Records the answer for a refund's key; when another call recorded one first, answers that one instead. */
    public RefundEntry recordRefund(String idempotencyKey, String charge, long amount, RefundEntry entry) {
        try {
            db.tx(tx -> tx.execute("insert into sandbox_refunds (idempotency_key, charge, amount, outcome, failure_reason, gateway_id, "
                            + "created_at) values (?, ?, ?, ?, ?, ?, ?)", idempotencyKey, charge, amount, entry.outcome(),
                    entry.failureReason(), entry.gatewayId(), Instant.now(clock)));
            return entry;
        } catch (DataAccessException e) {
            return findRefund(idempotencyKey).orElseThrow(() -> e);
        }
    }
}
