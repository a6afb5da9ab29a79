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
import org.jooq.exception.DataAccessException;
import tollgate.accounts.AccountStore;
import tollgate.billing.BillingSchedule;
import tollgate.catalog.Coupons;
import tollgate.catalog.Plans;
import tollgate.core.Database;
import tollgate.core.Problem;
import tollgate.events.EventLog;
import tollgate.subscriptions.Subscription;
import tollgate.subscriptions.SubscriptionStore;
import tollgate.tenants.Tenant;
import tollgate.tenants.TenantClock;
import tollgate.usage.RecordingUsage.Reported;
import tollgate.usage.RecordingUsage.Stored;

/**
 * Recording usage events, one or a batch of up to 1000, idempotent by id. A batch is all or nothing: one refused
 * event refuses it whole and nothing is written. It costs a fixed number of statements however large it is: the
 * ids already recorded in one read, each distinct subscription read (and locked) once, the new events in one
 * multi-row insert.
 */
public final class Usage {
    /**
     * Requests that record the same new id at once: each loser looks again and finds a duplicate (or a conflict).
     * A loser lost to a transaction that committed, so a few attempts outlast any realistic number of racers.
     */
    private static final int ATTEMPTS = 5;

    private final Database db;
    private final UsageStore store;
    private final SubscriptionStore subscriptions;
    private final AccountStore accounts;
    private final TenantClock clock;
    private final UsageCharges charges;

    public Usage(Database db, UsageStore store, SubscriptionStore subscriptions, AccountStore accounts, Plans plans,
                 Coupons coupons, TenantClock clock, EventLog events, BillingSchedule billing) {
        this.db = db;
        this.store = store;
        this.subscriptions = subscriptions;
        this.accounts = accounts;
        this.clock = clock;
        this.charges = new UsageCharges(store, subscriptions, plans, coupons, events, billing);
    }

    /** What usage subscriptions bill at the end of their cycles; the billing run asks it. */
    public UsageCharges charges() {
        return charges;
    }

    public UsageEvent record(Tenant tenant, Reported event) {
        return ingest(tenant, List.of(event)).getFirst();
    }

    public UsageBatch recordBatch(Tenant tenant, List<Reported> events) {
        if (events.isEmpty() || events.size() > RecordingUsage.MAX_BATCH)
            throw Problem.invalid("events", "parameter_invalid", "'events' must hold 1 to " + RecordingUsage.MAX_BATCH + " events");
        int duplicates = 0;
        for (UsageEvent e : ingest(tenant, events)) if (e.duplicate()) duplicates++;
        return new UsageBatch(events.size() - duplicates, duplicates);
    }

    private List<UsageEvent> ingest(Tenant tenant, List<Reported> events) {
        for (Reported r : events) RecordingUsage.checkShape(r.at(), r.id(), r.quantity());
        for (int attempt = 1; ; attempt++) {
            try {
                return db.tx(tx -> ingestOnce(tx, tenant, events));
            } catch (DataAccessException e) {
                // 23505: another request recorded one of these ids first; the next attempt sees it.
                if (!"23505".equals(e.sqlState()) || attempt == ATTEMPTS) throw e;
            }
        }
    }

    private List<UsageEvent> ingestOnce(DSLContext tx, Tenant tenant, List<Reported> events) {
        Instant now = clock.now(tx, tenant);
        Set<String> ids = new LinkedHashSet<>();
        for (Reported r : events) ids.add(r.id());
        Map<String, Stored> known = new HashMap<>(store.find(tx, tenant.id(), ids));

        // Repeats first (of earlier requests or within this batch): duplicates are answered, conflicts refused.
        List<UsageEvent> answers = new ArrayList<>(events.size());
        List<Reported> fresh = new ArrayList<>();
        Set<String> named = new LinkedHashSet<>();
        for (Reported r : events) {
            Stored prior = known.get(r.id());
            if (prior != null) {
                RecordingUsage.requireSame(r, prior);
                answers.add(new UsageEvent(prior.id(), prior.subscription(), prior.quantity(), prior.timestamp(), true));
                continue;
            }
            Instant ts = r.timestamp() != null ? r.timestamp() : now;
            known.put(r.id(), new Stored(r.id(), r.subscription(), r.quantity(), ts));
            answers.add(new UsageEvent(r.id(), r.subscription(), r.quantity(), ts, false));
            fresh.add(r);
            named.add(r.subscription());
        }
        if (fresh.isEmpty()) return answers;

        Map<String, Subscription> subs = new HashMap<>();
        for (Subscription s : subscriptions.lockForUsage(tx, tenant.id(), named)) subs.put(s.id(), s);
        Map<String, ZoneId> zones = new HashMap<>();
        List<UsageStore.Row> rows = new ArrayList<>(fresh.size());
        for (Reported r : fresh) {
            Subscription s = subs.get(r.subscription());
            if (s == null)
                throw new Problem(404, "resource_missing", "No such subscription: '" + r.subscription() + "'", r.at() + "subscription");
            Instant ts = known.get(r.id()).timestamp();
            Instant cycle = RecordingUsage.cycleOf(r, s, ts, now, () -> zones.computeIfAbsent(s.account(),
                    a -> ZoneId.of(accounts.find(tx, tenant.id(), a).orElseThrow().timezone())));
            rows.add(new UsageStore.Row(r.id(), s.id(), r.quantity(), ts, cycle));
        }
        store.insert(tx, tenant.id(), rows, now);
        return answers;
    }
}
