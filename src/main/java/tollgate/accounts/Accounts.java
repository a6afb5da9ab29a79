package tollgate.accounts;

import java.time.Instant;
import tollgate.core.Database;
import tollgate.core.Page;
import tollgate.core.Paging;
import tollgate.core.Problem;
import tollgate.events.EventLog;
import tollgate.tenants.Tenant;
import tollgate.tenants.TenantClock;

/** Opening accounts and reading them, always within one tenant. */
public final class Accounts {
    private final Database db;
    private final AccountStore store;
    private final TenantClock clock;
    private final EventLog events;

    public Accounts(Database db, AccountStore store, TenantClock clock, EventLog events) {
        this.db = db;
        this.store = store;
        this.clock = clock;
        this.events = events;
    }

    public Account open(Tenant tenant, String name, String email, String currency, String timezone, Company company) {
        return db.tx(tx -> {
            Instant now = clock.now(tx, tenant);
            Account account = OpeningAccount.open(name, email, currency, timezone, company, now);
            store.insert(tx, tenant.id(), account);
            events.append(tx, tenant.id(), "account.created", account.id(), now, account);
            return account;
        });
    }

    /**
     * Blocks or unblocks new licenses for the account (dunning's {@code block_new_licenses} step and its lifting).
     * Records {@code account.licenses_blocked} / {@code account.licenses_unblocked} when the flag changes.
     */
    public void setLicensesBlocked(Tenant tenant, String accountId, boolean blocked) {
        db.tx(tx -> {
            AccountStore.Standing standing = store.lockStanding(tx, tenant.id(), accountId)
                    .orElseThrow(() -> Problem.notFound("account", accountId));
            if (standing.licensesBlocked() == blocked) return null;
            store.setLicensesBlocked(tx, tenant.id(), accountId, blocked);
            events.append(tx, tenant.id(), blocked ? "account.licenses_blocked" : "account.licenses_unblocked", accountId,
                    clock.now(tx, tenant), java.util.Map.of("account", accountId, "can_issue_licenses", !blocked));
            return null;
        });
    }

    public Account get(Tenant tenant, String id) {
        return store.find(db.dsl(), tenant.id(), id).orElseThrow(() -> Problem.notFound("account", id));
    }

    public Page<Account> list(Tenant tenant, Paging paging) {
        return Page.of(store.list(db.dsl(), tenant.id(), paging.startingAfter(), paging.fetchSize()), paging.limit());
    }
}
