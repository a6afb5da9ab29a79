package tollgate.balances;

import java.time.Instant;
import java.util.Optional;
import org.jooq.DSLContext;
import tollgate.accounts.Account;
import tollgate.accounts.AccountDirectory;
import tollgate.core.Database;
import tollgate.core.Ids;
import tollgate.core.Page;
import tollgate.core.Paging;
import tollgate.core.Problem;
import tollgate.events.EventLog;
import tollgate.tenants.Tenant;
import tollgate.tenants.TenantClock;
import tollgate.tenants.Ctx;

/**
 * Accounts' credit balances (SPEC §4, decision 021): credit left by credit notes on paid invoices
 * ({@code refund_to: "balance"}) or set by the tenant, consumed by the account's next invoices at issue before any card
 * is charged. Every change is a {@link BalanceTransaction} and a {@code balance_transaction.created} event, written
 * under the account's row lock.
 */
public final class Balances {
    private final Database db;
    private final BalanceStore store;
    private final AccountDirectory accounts;
    private final TenantClock clock;
    private final EventLog events;

    public Balances(Database db, BalanceStore store, AccountDirectory accounts, TenantClock clock, EventLog events) {
        this.db = db;
        this.store = store;
        this.accounts = accounts;
        this.clock = clock;
        this.events = events;
    }

    /** The account's balance, under its row's lock (the caller's transaction holds it already, or takes it here). */
    public long lockBalance(Ctx ctx, String accountId) {
        return store.lockBalance(ctx.tx(), ctx.tenantId(), accountId);
    }

    /**
     * Adds {@code amount} (positive) of credit to the account for a credit note, in the caller's transaction, which
     * holds the account's lock already (it locked the invoice, decision 010).
     */
    public BalanceTransaction credit(Ctx ctx, String accountId, String currency, long amount, String creditNote) {
        if (amount <= 0) throw new IllegalArgumentException("a credit is positive: " + amount);
        long after = Math.subtractExact(store.lockBalance(ctx.tx(), ctx.tenantId(), accountId), amount);
        return record(ctx, new BalanceTransaction(Ids.next("btx"), accountId, BalanceTransaction.CREDIT_NOTE, -amount, currency,
                after, creditNote, null, "Credit note", ctx.now()));
    }

    /**
     * An invoice being issued consumes {@code applied} of the account's credit ({@code balance} before it), in the
     * issuing transaction, which holds the account's lock.
     */
    public BalanceTransaction applyToInvoice(Ctx ctx, String accountId, String currency, long balance, long applied,
                                             String invoiceId) {
        if (applied <= 0 || applied > -balance) throw new IllegalArgumentException(applied + " applied from a balance of " + balance);
        return record(ctx, new BalanceTransaction(Ids.next("btx"), accountId, BalanceTransaction.APPLIED_TO_INVOICE, applied,
                currency, balance + applied, null, invoiceId, "Applied to invoice", ctx.now()));
    }

    /**
     * {@code POST /v1/accounts/{id}/balance_transactions}: the tenant adds credit (a negative amount) or takes some away
     * (positive, at most the credit held), in the account's currency.
     */
    public BalanceTransaction adjust(Tenant tenant, String accountId, long amount, String currency, String description) {
        return db.tx(tx -> {
            Instant now = clock.now(tx, tenant);
            accounts.lockStanding(tx, tenant.id(), accountId).orElseThrow(() -> Problem.notFound("account", accountId));
            Account account = accounts.find(tx, tenant.id(), accountId).orElseThrow();
            long after = AccountBalance.adjusted(account.balance(), account.currency(), amount, currency);
            return record(new Ctx(tx, tenant, now), new BalanceTransaction(Ids.next("btx"), accountId, BalanceTransaction.ADJUSTMENT, amount,
                    account.currency(), after, null, null, description, now));
        });
    }

    public Page<BalanceTransaction> list(Tenant tenant, String accountId, Paging paging) {
        DSLContext dsl = db.dsl();
        Optional<Account> account = accounts.find(dsl, tenant.id(), accountId);
        if (account.isEmpty()) throw Problem.notFound("account", accountId);
        return Page.of(store.list(dsl, tenant.id(), accountId, paging.startingAfter(), paging.fetchSize()), paging.limit());
    }

    private BalanceTransaction record(Ctx ctx, BalanceTransaction t) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        store.record(tx, tenant.id(), t);
        events.append(tx, tenant.id(), "balance_transaction.created", t.account(), ctx.now(), t);
        return t;
    }
}
