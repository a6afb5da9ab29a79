package tollgate.usage;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.exception.DataAccessException;
import tollgate.accounts.AccountDirectory;
import tollgate.billing.BillingSchedule;
import tollgate.catalog.Plans;
import tollgate.core.Database;
import tollgate.core.Problem;
import tollgate.events.EventLog;
import tollgate.subscriptions.Subscription;
import tollgate.subscriptions.SubscriptionDirectory;
import tollgate.subscriptions.UsageCycles;
import tollgate.tenants.Tenant;
import tollgate.tenants.TenantClock;
import tollgate.usage.UsageEventRules.Reported;
import tollgate.usage.UsageEventRules.Stored;
import tollgate.tenants.Ctx;

/**
 * Recording usage events, one or a batch of up to 1000, idempotent by id: a repeated id is ignored (SPEC §10) and
 * answered with the event as stored. A batch is all or nothing: one refused event refuses it whole and nothing is
 * written. It costs a fixed number of statements however large it is: the ids already recorded in one read, each
 * distinct subscription read (and locked) once, the new events in one multi-row insert.
 */
public final class Usage {
    private final Database db;
    private final UsageStore store;
    private final SubscriptionDirectory subscriptions;
    private final AccountDirectory accounts;
    private final TenantClock clock;
    private final UsageCharges charges;

    public Usage(Database db, UsageStore store, SubscriptionDirectory subscriptions, AccountDirectory accounts, Plans plans,
                 UsageCycles cycles, TenantClock clock, EventLog events, BillingSchedule billing) {
        this.db = db;
        this.store = store;
        this.subscriptions = subscriptions;
        this.accounts = accounts;
        this.clock = clock;
        this.charges = new UsageCharges(store, cycles, plans, events, billing);
    }

    /** What usage subscriptions bill at the end of their cycles; the billing run asks it. */
    public UsageCharges charges() {
        return charges;
    }

    public UsageEvent record(Tenant tenant, Reported event) {
        return ingest(tenant, List.of(event)).getFirst();
    }

    public UsageBatch recordBatch(Tenant tenant, List<Reported> events) {
        if (events.isEmpty() || events.size() > UsageEventRules.MAX_BATCH)
            throw Problem.invalid("events", "parameter_invalid", "'events' must hold 1 to " + UsageEventRules.MAX_BATCH + " events");
        int duplicates = 0;
        for (UsageEvent e : ingest(tenant, events)) if (e.duplicate()) duplicates++;
        return new UsageBatch(events.size() - duplicates, duplicates);
    }

    /**
     * Rounds of reading first that a request makes, in its one transaction, when its insert keeps meeting ids that other
     * requests recorded meanwhile: each lost round lost to a request that committed, so a few outlast any realistic
     * number of racers; past them the request is answered 503 {@code lock_timeout}, having written nothing.
     */
    private static final int ROUNDS = 5;

    /**
     * One transaction, with which the route keeps its {@code Idempotency-Key}'s answer (decision 072): the named
     * subscriptions locked once; on PostgreSQL the usual case inserts at once ({@link #insertFirst}); otherwise, and on
     * H2, the ids are read first ({@link #readFirst}), again when its insert meets an id recorded since its read.
     */
    private List<UsageEvent> ingest(Tenant tenant, List<Reported> events) {
        for (Reported r : events) UsageEventRules.checkShape(r.at(), r.id(), r.quantity());
        boolean insertFirst = db.dialect().family() == SQLDialect.POSTGRES;
        return db.tx(tx -> {
            Ctx ctx = new Ctx(tx, tenant, clock.now(tx, tenant));
            Map<String, Subscription> subs = lockNamed(tx, tenant, events);
            List<UsageEvent> answers = insertFirst ? insertFirst(ctx, events, subs) : null;
            for (int round = 0; answers == null && round < ROUNDS; round++) answers = readFirst(ctx, events, subs);
            if (answers == null) throw Problem.lockTimeout();
            return answers;
        });
    }

    /**
     * Inserts the rows in a savepoint of their own; answers false, the savepoint rolled back and the transaction going on,
     * when one of their ids is recorded already (unique violation, 23505: by an earlier request, or by one that
     * committed while this one waited for it). The savepoint is jOOQ's, not a {@link Database#tx} part: it takes back
     * only the rows written in it, which is all {@link UsageStore#insert} does (in place, through JDBC; nothing deferred
     * or left for the commit).
     */
    private boolean inserted(DSLContext tx, Tenant tenant, List<UsageStore.Row> rows, Instant now) {
        try {
            tx.transactionResult(savepoint -> {
                store.insert(savepoint.dsl(), tenant.id(), rows, now);
                return null;
            });
            return true;
        } catch (DataAccessException e) {
            if (!"23505".equals(e.sqlState())) throw e;
            return false;
        }
    }

    /**
     * The usual case on PostgreSQL: every event's subscription is locked and every event is valid and new, so the
     * events are inserted at once — one probe of the ids' index per event, where reading the ids first and then
     * inserting took two. The insert is a savepoint of its own: an id recorded before makes it fail, it alone is rolled
     * back, and {@link #readFirst} decides in the same transaction. Answers null, having written nothing, also when some
     * event would be refused for another reason: {@link #readFirst} then decides what to answer exactly as it always
     * did (a duplicate is not refused for a subscription canceled since). A repeat within the batch is inserted once and
     * answered as a duplicate of its first occurrence.
     */
    private List<UsageEvent> insertFirst(Ctx ctx, List<Reported> events, Map<String, Subscription> subs) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        Instant now = ctx.now();
        Map<String, Reported> first = new HashMap<>();
        Map<String, ZoneId> zones = new HashMap<>();
        List<UsageStore.Row> rows = new ArrayList<>(events.size());
        List<UsageEvent> answers = new ArrayList<>(events.size());
        for (Reported r : events) {
            Reported earlier = first.putIfAbsent(r.id(), r);
            if (earlier != null) {
                Stored same = stored(earlier, now);
                answers.add(new UsageEvent(same.id(), same.subscription(), same.quantity(), same.timestamp(), true));
                continue;
            }
            Subscription s = subs.get(r.subscription());
            if (s == null) return null;
            Instant ts = r.timestamp() != null ? r.timestamp() : now;
            Instant cycle;
            try {
                cycle = UsageEventRules.cycleOf(r, s, ts, now, () -> zones.computeIfAbsent(s.account(),
                        a -> ZoneId.of(accounts.find(tx, tenant.id(), a).orElseThrow().timezone())));
            } catch (Problem refused) {
                return null;
            }
            rows.add(new UsageStore.Row(r.id(), s.id(), r.quantity(), ts, cycle));
            answers.add(new UsageEvent(r.id(), r.subscription(), r.quantity(), ts, false));
        }
        return inserted(tx, tenant, rows, now) ? answers : null;
    }

    /** The subscriptions the events name, locked for recording their usage ({@link SubscriptionDirectory#lockForUsage}), by id. */
    private Map<String, Subscription> lockNamed(DSLContext tx, Tenant tenant, List<Reported> events) {
        Set<String> named = new LinkedHashSet<>();
        for (Reported r : events) named.add(r.subscription());
        Map<String, Subscription> subs = new HashMap<>();
        for (Subscription s : subscriptions.lockForUsage(tx, tenant.id(), named)) subs.put(s.id(), s);
        return subs;
    }

    private static Stored stored(Reported r, Instant now) {
        return new Stored(r.id(), r.subscription(), r.quantity(), r.timestamp() != null ? r.timestamp() : now);
    }

    /**
     * Every database, every case: the ids already recorded read, then the new events checked and inserted (the
     * subscriptions locked by the caller). Answers null, having written nothing, when the insert meets an id recorded
     * since the read (by a request that committed while this one waited for it): read again, it is a duplicate.
     */
    private List<UsageEvent> readFirst(Ctx ctx, List<Reported> events, Map<String, Subscription> subs) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        Instant now = ctx.now();
        Set<String> ids = new LinkedHashSet<>();
        for (Reported r : events) ids.add(r.id());
        Map<String, Stored> known = new HashMap<>(store.find(tx, tenant.id(), ids));

        // Repeats first (of earlier requests or within this batch): ignored, answered with what was stored (decision 096).
        List<UsageEvent> answers = new ArrayList<>(events.size());
        List<Reported> fresh = new ArrayList<>();
        for (Reported r : events) {
            Stored prior = known.get(r.id());
            if (prior != null) {
                answers.add(new UsageEvent(prior.id(), prior.subscription(), prior.quantity(), prior.timestamp(), true));
                continue;
            }
            Instant ts = r.timestamp() != null ? r.timestamp() : now;
            known.put(r.id(), new Stored(r.id(), r.subscription(), r.quantity(), ts));
            answers.add(new UsageEvent(r.id(), r.subscription(), r.quantity(), ts, false));
            fresh.add(r);
        }
        if (fresh.isEmpty()) return answers;

        Map<String, ZoneId> zones = new HashMap<>();
        List<UsageStore.Row> rows = new ArrayList<>(fresh.size());
        for (Reported r : fresh) {
            Subscription s = subs.get(r.subscription());
            if (s == null)
                throw new Problem(404, "resource_missing", "No such subscription: '" + r.subscription() + "'", r.at() + "subscription");
            Instant ts = known.get(r.id()).timestamp();
            Instant cycle = UsageEventRules.cycleOf(r, s, ts, now, () -> zones.computeIfAbsent(s.account(),
                    a -> ZoneId.of(accounts.find(tx, tenant.id(), a).orElseThrow().timezone())));
            rows.add(new UsageStore.Row(r.id(), s.id(), r.quantity(), ts, cycle));
        }
        return inserted(tx, tenant, rows, now) ? answers : null;
    }
}
