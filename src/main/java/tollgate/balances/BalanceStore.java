package tollgate.balances;

import java.time.Instant;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Record;
import tollgate.core.NewestFirst;

/**
 * SQL for accounts' balances and their transactions; every query is scoped by tenant. The balance lives on the
 * account's row, so whoever changes it holds that row's lock (every writer of an account locks it first, decision 010).
 */
public final class BalanceStore {
    private static final String COLUMNS = "id, account_id, type, amount, currency, ending_balance, credit_note_id, invoice_id, "
            + "description, created_at";

    /** The account's balance, read under its row's lock; the caller's transaction holds it until it ends. */
    public long lockBalance(DSLContext tx, String tenantId, String accountId) {
        return tx.fetchOne("select balance from accounts where tenant_id = ? and id = ? for update", tenantId, accountId)
                .get(0, Long.class);
    }

    /** Records a change: its transaction row, and the account's new balance (its {@code ending_balance}). */
    public void record(DSLContext tx, String tenantId, BalanceTransaction t) {
        tx.execute("insert into balance_transactions (tenant_id, " + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                tenantId, t.id(), t.account(), t.type(), t.amount(), t.currency(), t.endingBalance(), t.creditNote(), t.invoice(),
                t.description(), t.createdAt());
        int n = tx.execute("update accounts set balance = ? where tenant_id = ? and id = ?", t.endingBalance(), tenantId, t.account());
        if (n != 1) throw new IllegalStateException("no account " + t.account());
    }

    /** Newest first. */
    public List<BalanceTransaction> list(DSLContext db, String tenantId, String accountId, String startingAfter, int limit) {
        return NewestFirst.page(db, "select " + COLUMNS + " from balance_transactions where tenant_id = ? and account_id = ?",
                List.of(tenantId, accountId), startingAfter, limit, BalanceStore::transaction);
    }

    private static BalanceTransaction transaction(Record r) {
        return new BalanceTransaction(r.get("id", String.class), r.get("account_id", String.class), r.get("type", String.class),
                r.get("amount", Long.class), r.get("currency", String.class), r.get("ending_balance", Long.class),
                r.get("credit_note_id", String.class), r.get("invoice_id", String.class), r.get("description", String.class),
                r.get("created_at", Instant.class));
    }
}
