package tollgate.subscriptions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.SQLDialect;
import tollgate.catalog.BillingInterval;
import tollgate.catalog.PlanType;
import tollgate.core.Metadata;
import tollgate.core.NewestFirst;
import tollgate.invoicing.PaymentTerms;

/** SQL for subscriptions and their pending proration lines; every query is scoped by tenant. */
public final class SubscriptionStore implements SubscriptionDirectory, SubscriptionCharges.Rows {
    private static final String COLUMNS = "id, account_id, plan_id, plan_type, billing_interval, status, seats, pending_seats, "
            + "coupon_id, anchor, period_start, period_end, next_billing_at, next_offset, invoices, trial_end, "
            + "cancel_at_period_end, canceled_at, created_at, collection_method, days_until_due, metadata, free_periods, free_reason, "
            + "pending_plan_id";
    private static final String PRORATION_COLUMNS = "id, subscription_id, account_id, plan_id, description, period_start, "
            + "period_end, quantity, days, amount, created_at, bill_at";

    private static final String INSERT = "insert into subscriptions (tenant_id, " + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, "
            + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    public void insert(DSLContext db, String tenantId, Subscription s) {
        db.execute(INSERT, inserted(tenantId, s));
    }

    /** New subscriptions in one JDBC batch (signups run together, decision 069), written at once: they are billed next. */
    public void insertAll(DSLContext db, String tenantId, List<Subscription> subscriptions) {
        writeAll(db, INSERT, subscriptions.stream().map(s -> inserted(tenantId, s)).toList());
    }

    /** One statement per row, run in place for a single row and as one JDBC batch for more. */
    private static void writeAll(DSLContext db, String sql, List<Object[]> rows) {
        if (rows.size() == 1) db.execute(sql, rows.getFirst());
        else tollgate.core.Bulk.run(db, sql, rows);
    }

    private static Object[] inserted(String tenantId, Subscription s) {
        Subscription.Billing b = s.billing();
        return new Object[] {tenantId, s.id(), s.account(), s.plan(), b.planType().wire(), b.interval().wire(), s.status().wire(),
                s.seats(), s.pendingSeats(), s.coupon(), b.anchor(), s.currentPeriodStart(), s.currentPeriodEnd(),
                b.nextBillingAt(), b.nextOffset(), b.invoices(), s.trialEnd(), s.cancelAtPeriodEnd(), s.canceledAt(),
                s.createdAt(), s.terms().collectionMethod().wire(), s.terms().daysUntilDue(), Metadata.stored(s.metadata()),
                b.freePeriods(), b.freeReason(), b.pendingPlan()};
    }

    /**
     * Planned with its values (decision 074), not declared by key (decision 083): on a young table its generic plan took
     * an index that leads with {@code tenant_id} and filtered by id.
     */
    private static final String UPDATE = "update subscriptions set status = ?, seats = ?, pending_seats = ?, period_start = ?, "
            + "period_end = ?, next_billing_at = ?, next_offset = ?, invoices = ?, cancel_at_period_end = ?, canceled_at = ?, "
            + "metadata = ?, free_periods = ?, free_reason = ?, plan_id = ?, plan_type = ?, billing_interval = ?, "
            + "pending_plan_id = ? where tenant_id = ? and id = ?";

    /** Writes everything that may change (the plan too, decision 052); the coupon, the anchor and the creation stay. */
    @Override
    public void update(DSLContext db, String tenantId, Subscription s) {
        db.execute(UPDATE, updated(tenantId, s));
    }

    /** {@link #update} for many, as one JDBC batch. */
    @Override
    public void updateAll(DSLContext db, String tenantId, List<Subscription> subscriptions) {
        writeAll(db, UPDATE, subscriptions.stream().map(s -> updated(tenantId, s)).toList());
    }

    private static Object[] updated(String tenantId, Subscription s) {
        Subscription.Billing b = s.billing();
        return new Object[] {s.status().wire(), s.seats(), s.pendingSeats(), s.currentPeriodStart(), s.currentPeriodEnd(),
                b.nextBillingAt(), b.nextOffset(), b.invoices(), s.cancelAtPeriodEnd(), s.canceledAt(),
                Metadata.stored(s.metadata()), b.freePeriods(), b.freeReason(), s.plan(), b.planType().wire(),
                b.interval().wire(), b.pendingPlan(), tenantId, s.id()};
    }

    public Optional<Subscription> find(DSLContext db, String tenantId, String id) {
        return db.fetchOptional("select " + COLUMNS + " from subscriptions where tenant_id = ? and id = ?", tenantId, id)
                .map(SubscriptionStore::subscription);
    }

    /** The tenant's subscriptions of {@code ids} (those found), by id, in one statement. */
    public java.util.Map<String, Subscription> findAll(DSLContext db, String tenantId, List<String> ids) {
        java.util.Map<String, Subscription> found = new java.util.HashMap<>(ids.size() * 2);
        if (ids.isEmpty()) return found;
        Object[] args = new Object[ids.size() + 1];
        args[0] = tenantId;
        for (int i = 0; i < ids.size(); i++) args[i + 1] = ids.get(i);
        db.fetch("select " + COLUMNS + " from subscriptions where tenant_id = ? and id in (" + tollgate.core.Sql.placeholders(ids.size()) + ")",
                args).forEach(r -> {
            Subscription s = subscription(r);
            found.put(s.id(), s);
        });
        return found;
    }

    /** Locks the subscription's row for the rest of the transaction, so that changes and billing take turns. */
    public Optional<Subscription> lock(DSLContext db, String tenantId, String id) {
        return db.fetchOptional("select " + COLUMNS + " from subscriptions where tenant_id = ? and id = ? for update", tenantId, id)
                .map(SubscriptionStore::subscription);
    }

    /** The account's subscriptions that are not canceled, locked, in id order. */
    public List<Subscription> lockLive(DSLContext db, String tenantId, String accountId) {
        return db.fetch("select " + COLUMNS + " from subscriptions where tenant_id = ? and account_id = ? and status <> 'canceled' "
                + "order by id for update", tenantId, accountId).map(SubscriptionStore::subscription);
    }

    /**
     * The anchor of each account's oldest live yearly flat or seats subscription, whose monthly dates the account's monthly
     * subscriptions take (SPEC §2), in one statement: the accounts that have one.
     */
    public java.util.Map<String, Instant> yearlyAnchors(DSLContext db, String tenantId, java.util.Collection<String> accountIds) {
        java.util.Map<String, Instant> anchors = new java.util.HashMap<>();
        if (accountIds.isEmpty()) return anchors;
        List<Object> args = new ArrayList<>(accountIds.size() + 1);
        args.add(tenantId);
        args.addAll(accountIds);
        db.fetch("select account_id, anchor from subscriptions where tenant_id = ? and account_id in (" + tollgate.core.Sql.placeholders(accountIds.size())
                        + ") and status <> 'canceled' and plan_type in ('flat', 'seats') and billing_interval = 'year' order by account_id, created_at, id",
                args.toArray()).forEach(r -> anchors.putIfAbsent(r.get(0, String.class), r.get(1, Instant.class)));
        return anchors;
    }

    /** Newest first, optionally one status only. */
    public List<Subscription> list(DSLContext db, String tenantId, String accountId, SubscriptionStatus status,
                                   String startingAfter, int limit) {
        String sql = "select " + COLUMNS + " from subscriptions where tenant_id = ? and account_id = ?";
        return NewestFirst.page(db, sql, List.of(tenantId, accountId), status == null ? "" : " and status = ?",
                status == null ? List.of() : List.of(status.wire()), startingAfter, limit,
                SubscriptionStore::subscription);
    }

    /**
     * The account's subscriptions of these plan types whose next billing date has come ({@code <= at}), locked, oldest
     * first. "Has come" rather than "is": a billing that could not run at its own instant (the account was invoiced at
     * that very instant already) is caught up by the next run, with the period it was due for.
     */
    @Override
    public List<Subscription> lockDue(DSLContext db, String tenantId, String accountId, Instant at, Set<PlanType> types) {
        List<Object> args = new ArrayList<>(List.of(tenantId, accountId, at));
        StringBuilder in = new StringBuilder();
        for (PlanType t : types) {
            in.append(in.isEmpty() ? "?" : ", ?");
            args.add(t.wire());
        }
        return db.fetch("select " + COLUMNS + " from subscriptions where tenant_id = ? and account_id = ? and next_billing_at <= ? "
                + "and plan_type in (" + in + ") order by id for update", args.toArray()).map(SubscriptionStore::subscription);
    }

    /**
     * {@link #lockDue} for many accounts and the subscriptions {@code alsoLock} names, in one statement, locked account by
     * account in id order (decision 010).
     */
    @Override
    public java.util.Map<String, List<Subscription>> lockDueAll(DSLContext db, String tenantId, List<String> accountIds, Instant at,
                                                                Set<PlanType> types, Set<String> alsoLock) {
        java.util.Map<String, List<Subscription>> due = new java.util.HashMap<>();
        if (accountIds.isEmpty()) return due;
        List<Object> args = new ArrayList<>();
        String where = dueOf(tenantId, accountIds, at, types, args);
        if (!alsoLock.isEmpty()) {
            where += " or tenant_id = ? and id in (" + tollgate.core.Sql.placeholders(alsoLock.size()) + ")";
            args.add(tenantId);
            args.addAll(alsoLock);
        }
        db.fetch("select " + COLUMNS + " " + where + " order by account_id, id for update", args.toArray())
                .forEach(r -> {
                    Subscription s = subscription(r);
                    due.computeIfAbsent(s.account(), a -> new ArrayList<>()).add(s);
                });
        return due;
    }

    /**
     * The subscriptions usage events name, locked against the billing of their cycle: shared on PostgreSQL, so that
     * batches for one subscription do not wait for each other; exclusive on H2, which has no shared row locks. Locked
     * account by account, in the order the billing run takes them (accounts in id order, then each one's subscriptions
     * in id order: decision 010), so a batch naming several accounts' subscriptions cannot deadlock with it.
     */
    @Override
    public List<Subscription> lockForUsage(DSLContext db, String tenantId, Collection<String> ids) {
        if (ids.isEmpty()) return List.of();
        String lock = db.dialect().family() == SQLDialect.H2 ? "for update" : "for share";
        return db.fetch("select " + COLUMNS + " from subscriptions where id = any(?) and tenant_id = ? order by account_id, id " + lock,
                ids.toArray(String[]::new), tenantId).map(SubscriptionStore::subscription);
    }

    // ---- pending proration lines ----

    public void insertPending(DSLContext db, String tenantId, PendingCharge p) {
        db.execute("insert into subscription_prorations (tenant_id, subscription_id, account_id, plan_id, description, period_start, "
                        + "period_end, quantity, days, amount, created_at, bill_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                tenantId, p.subscription(), p.account(), p.plan(), p.description(), p.periodStart(), p.periodEnd(),
                p.quantity(), p.days(), p.amount(), p.createdAt(), p.billAt());
    }

    /**
     * Which of these accounts have something of these plan types due by {@code at} (a billing date that has come,
     * or, with {@code prorations}, an unbilled proration line): two queries for a whole batch of the billing run,
     * so accounts without subscriptions cost nothing more.
     */
    @Override
    public Set<String> accountsWithDue(DSLContext db, String tenantId, List<String> accountIds, Instant at, Set<PlanType> types,
                                       boolean prorations) {
        if (accountIds.isEmpty()) return Set.of();
        List<Object> args = new ArrayList<>();
        Set<String> due = new java.util.HashSet<>(db.fetch("select distinct account_id " + dueOf(tenantId, accountIds, at, types, args),
                args.toArray()).getValues(0, String.class));
        if (prorations) {
            List<Object> pargs = new ArrayList<>();
            due.addAll(db.fetch("select distinct account_id " + pendingOf(tenantId, accountIds, at, pargs), pargs.toArray())
                    .getValues(0, String.class));
        }
        return due;
    }

    /** The accounts' subscriptions of {@code types} whose billing date has come by {@code at}: a from-where, its values added to {@code args}. */
    private static String dueOf(String tenantId, List<String> accountIds, Instant at, Set<PlanType> types, List<Object> args) {
        args.add(tenantId);
        args.add(at);
        args.addAll(accountIds);
        types.forEach(t -> args.add(t.wire()));
        return "from subscriptions where tenant_id = ? and next_billing_at <= ? and account_id in ("
                + tollgate.core.Sql.placeholders(accountIds.size()) + ") and plan_type in (" + tollgate.core.Sql.placeholders(types.size()) + ")";
    }

    /** The accounts' unbilled proration lines due by {@code at}: a from-where, its values added to {@code args}. */
    private static String pendingOf(String tenantId, List<String> accountIds, Instant at, List<Object> args) {
        args.add(tenantId);
        args.add(at);
        args.addAll(accountIds);
        return "from subscription_prorations where tenant_id = ? and bill_at <= ? and billed_at is null and account_id in ("
                + tollgate.core.Sql.placeholders(accountIds.size()) + ")";
    }

    /** The subscription's lines not billed yet, in the order they arose (read only: for showing what is owed). */
    public List<PendingCharge> unbilled(DSLContext db, String tenantId, String subscriptionId) {
        return db.fetch("select " + PRORATION_COLUMNS + " from subscription_prorations where tenant_id = ? and subscription_id = ? "
                        + "and billed_at is null order by id", tenantId, subscriptionId).map(SubscriptionStore::pending);
    }

    /** The account's unbilled lines due by {@code at}, locked, in the order they arose. */
    public List<PendingCharge> lockPendingDue(DSLContext db, String tenantId, String accountId, Instant at) {
        return db.fetch("select " + PRORATION_COLUMNS + " from subscription_prorations where tenant_id = ? and account_id = ? "
                        + "and bill_at <= ? and billed_at is null order by id for update", tenantId, accountId, at)
                .map(SubscriptionStore::pending);
    }

    /** {@link #lockPendingDue} for many accounts in one statement; by account. */
    @Override
    public java.util.Map<String, List<PendingCharge>> lockPendingDueAll(DSLContext db, String tenantId, List<String> accountIds, Instant at) {
        java.util.Map<String, List<PendingCharge>> due = new java.util.HashMap<>();
        if (accountIds.isEmpty()) return due;
        List<Object> args = new ArrayList<>();
        db.fetch("select " + PRORATION_COLUMNS + " " + pendingOf(tenantId, accountIds, at, args) + " order by account_id, id for update",
                args.toArray()).forEach(r -> {
            PendingCharge p = pending(r);
            due.computeIfAbsent(p.account(), a -> new ArrayList<>()).add(p);
        });
        return due;
    }

    public void markBilled(DSLContext db, List<PendingCharge> charges, Instant at) {
        if (charges.isEmpty()) return;
        List<Object> args = new ArrayList<>(charges.size() + 1);
        args.add(at);
        for (PendingCharge c : charges) args.add(c.id());
        db.execute("update subscription_prorations set billed_at = ? where id in (" + tollgate.core.Sql.placeholders(charges.size()) + ")", args.toArray());
    }

    private static Subscription subscription(Record r) {
        Subscription.Billing billing = new Subscription.Billing(
                PlanType.fromWire(r.get("plan_type", String.class)).orElseThrow(),
                BillingInterval.fromWire(r.get("billing_interval", String.class)).orElseThrow(),
                r.get("anchor", Instant.class), r.get("next_billing_at", Instant.class),
                r.get("next_offset", Integer.class), r.get("invoices", Integer.class), r.get("free_periods", Integer.class),
                r.get("free_reason", String.class), r.get("pending_plan_id", String.class));
        return new Subscription(r.get("id", String.class), r.get("account_id", String.class), r.get("plan_id", String.class),
                SubscriptionStatus.fromWire(r.get("status", String.class)).orElseThrow(), r.get("seats", Integer.class),
                r.get("pending_seats", Integer.class), r.get("coupon_id", String.class), r.get("period_start", Instant.class),
                r.get("period_end", Instant.class), r.get("trial_end", Instant.class), r.get("cancel_at_period_end", Boolean.class),
                r.get("canceled_at", Instant.class), r.get("created_at", Instant.class),
                PaymentTerms.fromStored(r.get("collection_method", String.class), r.get("days_until_due", Integer.class)),
                Metadata.read(r.get("metadata", String.class)), billing);
    }

    private static PendingCharge pending(Record r) {
        return new PendingCharge(r.get("id", Long.class), r.get("subscription_id", String.class), r.get("account_id", String.class),
                r.get("plan_id", String.class), r.get("description", String.class), r.get("period_start", Instant.class),
                r.get("period_end", Instant.class), r.get("quantity", Long.class), r.get("days", Integer.class),
                r.get("amount", Long.class), r.get("created_at", Instant.class), r.get("bill_at", Instant.class));
    }
}
