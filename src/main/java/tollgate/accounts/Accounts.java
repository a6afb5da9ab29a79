package tollgate.accounts;

import java.time.Instant;
import org.jooq.DSLContext;
import tollgate.core.Database;
import tollgate.core.Page;
import tollgate.core.Paging;
import tollgate.core.Problem;
import tollgate.events.EventLog;
import tollgate.parties.Company;
import tollgate.tenants.Tenant;
import tollgate.tenants.TenantClock;
import tollgate.tenants.Ctx;

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
        return open(tenant, name, email, currency, timezone, company, null);
    }

    public Account open(Tenant tenant, String name, String email, String currency, String timezone, Company company,
                        java.util.Map<String, String> metadata) {
        return db.tx(tx -> open(new Ctx(tx, tenant, clock.now(tx, tenant)), name, email, currency, timezone, company, metadata));
    }

    /** The same in the caller's transaction (the portal's sign-up opens the account and its first user together). */
    public Account open(Ctx ctx, String name, String email, String currency, String timezone, Company company,
                        java.util.Map<String, String> metadata) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        Instant now = ctx.now();
        Account account = NewAccountRules.open(name, email, currency, timezone, company, metadata, now);
        store.insert(tx, tenant.id(), account);
        events.append(tx, tenant.id(), "account.created", account.id(), now, account);
        return account;
    }

    /** A request to open an account: the account, its details checked by {@link NewAccountRules} on the request's own thread (400). */
    public record Opening(Account account) {
        public static Opening of(String name, String email, String currency, String timezone, Company company,
                                 java.util.Map<String, String> metadata) {
            return new Opening(NewAccountRules.open(name, email, currency, timezone, company, metadata, Instant.EPOCH));
        }

        /** A new account's standing: nothing blocked, services active, nothing deleted. */
        public Standing standing() {
            return new Standing(account.currency(), account.timezone(), false, "active", null, null);
        }
    }

    /**
     * Many {@link #open}s in the caller's transaction, at one instant (decision 069): the accounts in one statement and
     * their {@code account.created} events in another. Answers the accounts in the order asked.
     */
    public java.util.List<Account> openAll(Tenant tenant, java.util.List<Opening> openings) {
        return db.tx(tx -> openAll(new Ctx(tx, tenant, clock.now(tx, tenant)), openings));
    }

    /** The same in the caller's transaction, at its instant (an account opened with its subscription, decision 073). */
    public java.util.List<Account> openAll(Ctx ctx, java.util.List<Opening> openings) {
        java.util.List<Account> opened = new java.util.ArrayList<>(openings.size());
        for (Opening o : openings) opened.add(o.account().openedAt(ctx.now()));
        store.insertAll(ctx.tx(), ctx.tenantId(), opened);
        events.appendAll(ctx.tx(), ctx.tenantId(), "account.created", ctx.now(), opened, Account::id);
        return opened;
    }

    /**
     * Asked, under the account's lock, whether a billing period in progress is counted in the account's current zone
     * and must close in it (licensing: a license month); the new zone then waits for that period's end.
     */
    @FunctionalInterface
    public interface ZoneChangeCheck {
        boolean periodInProgress(Ctx ctx, Account account);
    }

    private final java.util.List<ZoneChangeCheck> zoneChecks = new java.util.concurrent.CopyOnWriteArrayList<>();

    public void onZoneChange(ZoneChangeCheck check) {
        zoneChecks.add(check);
    }

    /**
     * The time zones that waited for a license month ({@code pending_timezone}) take effect, for those of
     * {@code accountIds} that have one (the caller holds their locks: the billing run at the month's end); each change
     * is recorded as {@code account.updated}. Answers the new zone of each account changed.
     */
    public java.util.Map<String, java.time.ZoneId> applyPendingZones(Ctx ctx, java.util.List<String> accountIds) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        java.util.Map<String, java.time.ZoneId> changed = new java.util.HashMap<>();
        store.pendingZones(tx, tenant.id(), accountIds).forEach((accountId, zone) -> {
            store.applyPendingZone(tx, tenant.id(), accountId);
            events.append(tx, tenant.id(), "account.updated", accountId, ctx.now(), store.find(tx, tenant.id(), accountId).orElseThrow());
            changed.put(accountId, java.time.ZoneId.of(zone));
        });
        return changed;
    }

    /**
     * Changes the account's details ({@link AccountChangeRules}); records {@code account.updated} when anything changed.
     * A new time zone applies to billing dates not yet fixed (docs/decisions/024-one-off-charges-and-keys.md).
     */
    public Account update(Tenant tenant, String accountId, AccountChangeRules.Changes changes) {
        return db.tx(tx -> {
            store.lockStanding(tx, tenant.id(), accountId).orElseThrow(() -> Problem.notFound("account", accountId));
            Account before = store.find(tx, tenant.id(), accountId).orElseThrow();
            Account after = AccountChangeRules.changed(before, changes);
            Instant now = clock.now(tx, tenant);
            if (changes.timezone() != null) after = zones(new Ctx(tx, tenant, now), before, after);
            if (after.equals(before)) return before;
            store.update(tx, tenant.id(), after);
            events.append(tx, tenant.id(), "account.updated", accountId, now, after);
            return after;
        });
    }

    /**
     * A zone asked for: in effect at once, unless a period in progress is counted in the current zone; then it waits
     * ({@code pending_timezone}) for that period to close. Asking for the current zone drops a waiting one.
     */
    private Account zones(Ctx ctx, Account before, Account asked) {
        String zone = asked.timezone();
        if (zone.equals(before.timezone())) return asked.withZones(zone, null);
        for (ZoneChangeCheck c : zoneChecks)
            if (c.periodInProgress(ctx, before)) return asked.withZones(before.timezone(), zone);
        return asked.withZones(zone, null);
    }

    /**
     * Blocks or unblocks new licenses for the account (dunning's {@code block_new_licenses} step and its lifting).
     * Records {@code account.licenses_blocked} / {@code account.licenses_unblocked} when the flag changes.
     */
    public void setLicensesBlocked(Tenant tenant, String accountId, boolean blocked) {
        db.tx(tx -> {
            setLicensesBlocked(new Ctx(tx, tenant, clock.now(tx, tenant)), accountId, blocked);
            return null;
        });
    }

    /** The same in the caller's transaction. */
    public void setLicensesBlocked(Ctx ctx, String accountId, boolean blocked) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        Standing standing = store.lockStanding(tx, tenant.id(), accountId)
                .orElseThrow(() -> Problem.notFound("account", accountId));
        if (standing.licensesBlocked() == blocked) return;
        store.setLicensesBlocked(tx, tenant.id(), accountId, blocked);
        events.append(tx, tenant.id(), blocked ? "account.licenses_blocked" : "account.licenses_unblocked", accountId, ctx.now(),
                java.util.Map.of("account", accountId, "can_issue_licenses", !blocked));
    }

    /** Services of the account as dunning leaves them; records {@code account.services_<state>} when they change. */
    public void setServices(Ctx ctx, String accountId, String services) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        Standing standing = store.lockStanding(tx, tenant.id(), accountId)
                .orElseThrow(() -> Problem.notFound("account", accountId));
        if (standing.services().equals(services)) return;
        store.setServices(tx, tenant.id(), accountId, services);
        String type = switch (services) {
            case "active" -> "account.services_restored";
            case "suspended" -> "account.services_suspended";
            case "canceled" -> "account.services_canceled";
            default -> throw new IllegalArgumentException("services " + services);
        };
        events.append(tx, tenant.id(), type, accountId, ctx.now(), java.util.Map.of("account", accountId, "services", services));
    }

    /**
     * The account's data is deleted now and its backups kept {@code retentionDays} more days (restorable, not
     * downloadable), then purged; records {@code account.data_deletion_scheduled}. Days are calendar days in the
     * account's zone, as every dunning day is: across a DST change the purge keeps the wall-clock time.
     */
    public Instant scheduleDataDeletion(Ctx ctx, String accountId, int retentionDays) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        Instant now = ctx.now();
        Standing standing = store.lockStanding(tx, tenant.id(), accountId)
                .orElseThrow(() -> Problem.notFound("account", accountId));
        Instant purge = now.atZone(java.time.ZoneId.of(standing.timezone())).plusDays(retentionDays).toInstant();
        store.setDataDeletion(tx, tenant.id(), accountId, now, purge);
        events.append(tx, tenant.id(), "account.data_deletion_scheduled", accountId, now, java.util.Map.of(
                "account", accountId, "data_deleted_at", now.toString(), "backups_purge_at", purge.toString()));
        return purge;
    }

    /** Forgets a past data deletion (an account starting services again after a cancellation). */
    public void clearDataDeletion(Ctx ctx, String accountId) {
        store.setDataDeletion(ctx.tx(), ctx.tenantId(), accountId, null, null);
    }

    /** The account's standing, its row locked to the end of the transaction (the lock order's first lock). */
    public Standing lockStanding(Ctx ctx, String accountId) {
        return store.lockStanding(ctx.tx(), ctx.tenantId(), accountId).orElseThrow(() -> Problem.notFound("account", accountId));
    }

    public Standing standing(Ctx ctx, String accountId) {
        return store.standing(ctx.tx(), ctx.tenantId(), accountId).orElseThrow(() -> Problem.notFound("account", accountId));
    }

    public Account get(Tenant tenant, String id) {
        return store.find(db.dsl(), tenant.id(), id).orElseThrow(() -> Problem.notFound("account", id));
    }

    public Page<Account> list(Tenant tenant, Paging paging) {
        return Page.of(store.list(db.dsl(), tenant.id(), paging.startingAfter(), paging.fetchSize()), paging.limit());
    }

    /** The console's search: by id, or a part of the name or email (decision 042); at most {@code limit}. */
    public java.util.List<Account> search(Tenant tenant, String text, int limit) {
        String t = text.strip();
        return store.search(db.dsl(), tenant.id(), t, tollgate.core.Sql.containsPattern(t), limit);
    }

    /** The accounts of {@code ids} that belong to the tenant. */
    public java.util.List<Account> getAll(Tenant tenant, java.util.List<String> ids) {
        return store.findAll(db.dsl(), tenant.id(), ids);
    }
}
