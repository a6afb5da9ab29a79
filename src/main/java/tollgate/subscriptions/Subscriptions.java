package tollgate.subscriptions;

import java.time.Instant;
import java.util.Map;
import java.util.List;
import java.time.ZoneId;
import org.jooq.DSLContext;
import tollgate.accounts.AccountDirectory;
import tollgate.accounts.Accounts;
import tollgate.billing.BillingSchedule;
import tollgate.catalog.Coupon;
import tollgate.catalog.Coupons;
import tollgate.catalog.Plan;
import tollgate.catalog.PlanType;
import tollgate.catalog.Plans;
import tollgate.core.Database;
import tollgate.core.Metadata;
import tollgate.core.Page;
import tollgate.core.Paging;
import tollgate.core.Problem;
import tollgate.events.EventLog;
import tollgate.invoicing.PaymentTerms;
import tollgate.tenants.Ctx;
import tollgate.tenants.Tenant;
import tollgate.tenants.TenantClock;

/** Subscribing accounts to flat, seats and usage plans; changing seats; canceling (SPEC §2, §10). */
public final class Subscriptions {
    public static final String CREATED = "subscription.created";

    private final Database db;
    private final SubscriptionStore store;
    private final AccountDirectory accounts;
    private final Plans plans;
    private final Coupons coupons;
    private final TenantClock clock;
    private final EventLog events;
    private final BillingSchedule billing;
    private final SubscriptionCharges charges;
    private final AccountOpener opener;
    private final List<SignupCheck> signupChecks = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Asked before an account starts a subscription, in its transaction and under the account's lock: dunning refuses
     * an account that owes past-due invoices after its services were suspended or canceled (402), and reinstates it.
     * {@code standing} is the account's, as read under that lock.
     */
    @FunctionalInterface
    public interface SignupCheck {
        void beforeSubscribe(Ctx ctx, String accountId, tollgate.accounts.Standing standing);
    }

    public Subscriptions(Database db, SubscriptionStore store, AccountDirectory accounts, AccountOpener opener, Plans plans,
                         Coupons coupons, TenantClock clock, EventLog events, BillingSchedule billing) {
        this.db = db;
        this.opener = opener;
        this.store = store;
        this.accounts = accounts;
        this.plans = plans;
        this.coupons = coupons;
        this.clock = clock;
        this.events = events;
        this.billing = billing;
        this.charges = new SubscriptionCharges(store, plans::find, coupons::find, events::append, billing);
    }

    public void onSignup(SignupCheck check) {
        signupChecks.add(check);
    }

    /** Told of every new subscription, in its transaction (a trial's reminder is scheduled here). */
    @FunctionalInterface
    public interface CreatedListener {
        void created(Ctx ctx, Subscription subscription);
    }

    private final List<CreatedListener> createdListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public void onCreated(CreatedListener listener) {
        createdListeners.add(listener);
    }

    /** What flat and seats subscriptions bill at an instant; the billing run asks it. */
    public SubscriptionCharges charges() {
        return charges;
    }

    /** Whether the account has a card to charge; a subscription charged automatically needs one (SPEC §2). */
    @FunctionalInterface
    public interface PaymentMethodCheck {
        boolean hasPaymentMethod(DSLContext tx, String tenantId, String accountId);
    }

    private volatile PaymentMethodCheck paymentMethods = (tx, tenantId, accountId) -> true;

    public void requirePaymentMethods(PaymentMethodCheck check) {
        this.paymentMethods = check;
    }

    /** What a signup asks for beyond the plan: all optional. */
    public record Terms(Integer seats, String coupon, Instant billingCycleAnchor, String collectionMethod, Integer daysUntilDue,
                        Map<String, String> metadata) {
        public Terms(Integer seats, String coupon, Instant billingCycleAnchor, String collectionMethod, Integer daysUntilDue) {
            this(seats, coupon, billingCycleAnchor, collectionMethod, daysUntilDue, null);
        }
    }

    public Subscription subscribe(Tenant tenant, String accountId, String planId, Integer seats, String couponId) {
        return subscribe(tenant, accountId, planId, new Terms(seats, couponId, null, null, null));
    }

    /**
     * A request to subscribe an account: its terms read on the request's own thread (400 before the database is asked).
     * {@code opening}: the account is new, opened with its subscription (decision 073), or null for an existing one.
     */
    public record Order(String accountId, String planId, Terms terms, PaymentTerms payment, Map<String, String> metadata,
                        Accounts.Opening opening) {}

    public Order order(String accountId, String planId, Terms terms) {
        return order(accountId, planId, terms, null);
    }

    /** An order for an account not yet opened: it is opened with the subscription, or not at all when the order is refused. */
    public Order order(Accounts.Opening opening, String planId, Terms terms) {
        return order(opening.account().id(), planId, terms, opening);
    }

    private static Order order(String accountId, String planId, Terms terms, Accounts.Opening opening) {
        return new Order(accountId, planId, terms, PaymentTerms.of(terms.collectionMethod(), terms.daysUntilDue()),
                Metadata.of(terms.metadata(), "metadata"), opening);
    }

    /** Opens accounts in the caller's transaction, at its instant (the accounts capability's {@code openAll}); answers them. */
    @FunctionalInterface
    public interface AccountOpener {
        List<tollgate.accounts.Account> openAll(Ctx ctx, List<Accounts.Opening> openings);
    }

    /**
     * A new subscription. Without a trial a flat or seats plan's first period (or the prorated short period up to its
     * anchor) is billed at once, in this transaction; a trial or a usage cycle schedules its end instead. Whatever that
     * made due by a test tenant's clock (the invoice's first charge) runs before the API answers (decision 028).
     */
    public Subscription subscribe(Tenant tenant, String accountId, String planId, Terms terms) {
        return subscribe(tenant, order(accountId, planId, terms));
    }

    /** One order, as {@link #subscribeAll} runs it: the subscription, or the refusal thrown. */
    public Subscription subscribe(Tenant tenant, Order order) {
        Object outcome = subscribeAll(tenant, List.of(order)).getFirst();
        if (outcome instanceof Problem refusal) throw refusal;
        return (Subscription) outcome;
    }

    /**
     * Many {@link #subscribe}s in the caller's transaction, at one instant (decision 069): for each order, in order, the
     * subscription made or the {@link Problem} that refuses it (nothing written for it). The accounts are locked
     * together in id order, each order is checked and its subscription written as {@link #subscribe} does, and then
     * everything due at once is billed by one call of the billing run: the batch's invoices numbered together, one
     * statement per kind of row. An account's second order in a batch waits for the next round, so it sees the first's
     * subscription and invoice as a later request would.
     */
    public List<Object> subscribeAll(Tenant tenant, List<Order> orders) {
        return db.tx(tx -> {
            Ctx ctx = new Ctx(tx, tenant, clock.now(tx, tenant));
            Object[] outcomes = new Object[orders.size()];
            List<Integer> left = new java.util.ArrayList<>(orders.size());
            for (int i = 0; i < orders.size(); i++) left.add(i);
            while (!left.isEmpty()) {
                java.util.Set<String> accountsInRound = new java.util.HashSet<>();
                List<Integer> round = new java.util.ArrayList<>(left.size());
                List<Integer> later = new java.util.ArrayList<>();
                for (int i : left) (accountsInRound.add(orders.get(i).accountId()) ? round : later).add(i);
                subscribeRound(ctx, orders, round, outcomes);
                left = later;
            }
            return java.util.Arrays.asList(outcomes);
        });
    }

    /**
     * An order checked, its subscription and first period's lines to write; {@code billedNow}: its first period is
     * invoiced at once.
     */
    private record Admitted(int position, Subscription subscription, List<PendingCharge> firstPeriod, boolean billedNow) {}

    private void subscribeRound(Ctx ctx, List<Order> orders, List<Integer> round, Object[] outcomes) {
        DSLContext tx = ctx.tx();
        String tenantId = ctx.tenantId();
        java.util.Set<String> ids = new java.util.TreeSet<>();
        for (int i : round) if (orders.get(i).opening() == null) ids.add(orders.get(i).accountId());
        // Changes to one account take turns (as issuing licenses and attaching cards do). An account opened here is
        // seen by no other transaction until this one commits: it needs no lock, has no yearly anchor, and is in good
        // standing.
        Map<String, tollgate.accounts.Standing> standings = new java.util.HashMap<>(accounts.lockStandings(tx, tenantId, ids));
        Map<String, Instant> yearly = store.yearlyAnchors(tx, tenantId, standings.keySet());
        for (int i : round) {
            Accounts.Opening opening = orders.get(i).opening();
            if (opening != null) standings.put(opening.account().id(), opening.standing());
        }
        List<Admitted> admitted = new java.util.ArrayList<>(round.size());
        for (int i : round) {
            try {
                String accountId = orders.get(i).accountId();
                admitted.add(admit(ctx, orders.get(i), standings.get(accountId), yearly.get(accountId), i));
            } catch (Problem refusal) {
                outcomes[i] = refusal;
            }
        }
        if (admitted.isEmpty()) return;
        List<Accounts.Opening> opening = new java.util.ArrayList<>();
        for (Admitted a : admitted) if (orders.get(a.position()).opening() != null) opening.add(orders.get(a.position()).opening());
        Map<String, tollgate.accounts.Account> opened = new java.util.HashMap<>();
        if (!opening.isEmpty()) {
            for (tollgate.accounts.Account a : opener.openAll(ctx, opening)) opened.put(a.id(), a);
            // The subscriptions' rows name the accounts: those must be in the database first (kept-back inserts sent).
            db.sendDeferred(tx);
        }
        store.insertAll(tx, tenantId, admitted.stream().map(Admitted::subscription).toList());
        for (Admitted a : admitted) for (PendingCharge p : a.firstPeriod()) store.insertPending(tx, tenantId, p);
        List<String> billedNow = new java.util.ArrayList<>();
        List<tollgate.accounts.Account> openedBilledNow = new java.util.ArrayList<>();
        for (Admitted a : admitted) {
            if (!a.billedNow()) continue;
            String accountId = a.subscription().account();
            if (opened.containsKey(accountId)) openedBilledNow.add(opened.get(accountId));
            else billedNow.add(accountId);
        }
        billing.billNowAll(ctx, billedNow, openedBilledNow);
        Map<Instant, List<String>> next = new java.util.TreeMap<>();
        for (Admitted a : admitted) {
            Instant first = a.subscription().billing().nextBillingAt();
            if (!first.equals(ctx.now())) next.computeIfAbsent(first, f -> new java.util.ArrayList<>()).add(a.subscription().account());
        }
        next.forEach((first, accountIds) -> billing.scheduleAll(tx, tenantId, accountIds, first));
        Map<String, Subscription> read = store.findAll(tx, tenantId, admitted.stream().map(a -> a.subscription().id()).toList());
        List<Subscription> made = admitted.stream().map(a -> read.get(a.subscription().id())).toList();
        events.appendAll(tx, tenantId, CREATED, ctx.now(), made, Subscription::account);
        for (int j = 0; j < made.size(); j++) {
            for (CreatedListener l : createdListeners) l.created(ctx, made.get(j));
            outcomes[admitted.get(j).position()] = made.get(j);
        }
    }

    /** Checks an order as {@link #subscribe} answers it (404, 400, 402, in that order): its subscription, not yet written. */
    private Admitted admit(Ctx ctx, Order o, tollgate.accounts.Standing account, Instant yearly, int position) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        Instant now = ctx.now();
        String accountId = o.accountId();
        if (account == null) throw Problem.notFound("account", accountId);
        Plan plan = plans.find(tx, tenant.id(), o.planId()).orElseThrow(() -> noSuchPlan(o.planId()));
        String couponId = o.terms().coupon();
        Coupon coupon = couponId == null ? null : coupons.find(tx, tenant.id(), couponId)
                .orElseThrow(() -> new Problem(404, "resource_missing", "No such coupon: '" + couponId + "'", "coupon"));
        ZoneId zone = ZoneId.of(account.timezone());
        Integer seats = o.terms().seats();
        if (plan.seatsFollowPortalUsers()) {
            if (seats != null) throw seatsFollowUsers(plan);
            seats = seatCounter.activeUsers(tx, tenant, accountId);
        }
        SubscriptionRules.Anchor anchor = SubscriptionRules.anchor(plan, zone, o.terms().billingCycleAnchor(),
                yearly, now);
        SubscriptionRules.Signup signup = SubscriptionRules.subscribe(accountId, account.currency(), zone, plan, seats, coupon,
                o.payment(), anchor, now);
        if (!o.payment().sendsInvoice() && !paymentMethods.hasPaymentMethod(tx, tenant.id(), accountId))
            throw new Problem(402, "payment_method_required", "Add a payment method to the account before subscribing it "
                    + "with collection_method charge_automatically, or subscribe with collection_method send_invoice", null);
        for (SignupCheck check : signupChecks) check.beforeSubscribe(ctx, accountId, account);
        Subscription s = signup.subscription().withMetadata(o.metadata());
        return new Admitted(position, s, signup.firstPeriod(), s.billing().nextBillingAt().equals(now) || !signup.firstPeriod().isEmpty());
    }

    private static Problem noSuchPlan(String planId) {
        return new Problem(404, "resource_missing", "No such plan: '" + planId + "'", "plan");
    }

    public Subscription get(Tenant tenant, String id) {
        return store.find(db.dsl(), tenant.id(), id).orElseThrow(() -> Problem.notFound("subscription", id));
    }

    /** The tenant's subscription read in the caller's transaction. */
    public java.util.Optional<Subscription> find(DSLContext tx, String tenantId, String id) {
        return store.find(tx, tenantId, id);
    }

    public Page<Subscription> list(Tenant tenant, String accountId, String status, Paging paging) {
        if (accounts.find(db.dsl(), tenant.id(), accountId).isEmpty()) throw Problem.notFound("account", accountId);
        SubscriptionStatus filter = status == null ? null : SubscriptionStatus.fromWire(status).orElseThrow(() ->
                Problem.invalid("status", "parameter_invalid", "'status' must be trialing, active, past_due, suspended or canceled"));
        return Page.of(store.list(db.dsl(), tenant.id(), accountId, filter, paging.startingAfter(), paging.fetchSize()), paging.limit());
    }

    /** The subscription's prorations not invoiced yet (seat increases, upgrades), each with the date it is invoiced. */
    public List<PendingCharge> pendingCharges(Tenant tenant, String id) {
        return store.unbilled(db.dsl(), tenant.id(), id);
    }

    /** The date a proration arising now on {@code s} would be invoiced ({@link SeatChange#billedAt}), for a confirmation to name. */
    public Instant prorationBilledAt(Tenant tenant, Subscription s) {
        return db.tx(tx -> {
            Instant now = clock.now(tx, tenant);
            return SeatChange.billedAt(s, zone(new Ctx(tx, tenant, now), s), now);
        });
    }

    public Subscription update(Tenant tenant, String id, Integer seats, Boolean cancelAtPeriodEnd) {
        return update(tenant, id, seats, cancelAtPeriodEnd, null);
    }

    /**
     * Changes the seats (an increase is prorated onto the next invoice, a decrease waits for the next period),
     * whether the subscription ends at its period's end, and merges {@code metadata} ({@link Metadata}'s rules). Metadata
     * alone is taken in any status, a canceled subscription's too (as Stripe: it is the tenant's own record).
     */
    public Subscription update(Tenant tenant, String id, Integer seats, Boolean cancelAtPeriodEnd, Map<String, String> metadata) {
        return update(tenant, id, null, seats, cancelAtPeriodEnd, metadata);
    }

    /**
     * As above, and moves the subscription to {@code planId} when given (decision 052, {@link PlanChange}): an upgrade
     * at once with its difference prorated onto the next invoice, a downgrade or another interval at the next period.
     * {@code seats} given with a plan are the seats on that plan.
     */
    public Subscription update(Tenant tenant, String id, String planId, Integer seats, Boolean cancelAtPeriodEnd,
                               Map<String, String> metadata) {
        if (planId == null && seats == null && cancelAtPeriodEnd == null && metadata == null) throw Problem.missing("seats");
        return db.tx(tx -> {
            Instant now = clock.now(tx, tenant);
            Subscription s = planId == null && seats == null && cancelAtPeriodEnd == null
                    ? store.lock(tx, tenant.id(), id).orElseThrow(() -> Problem.notFound("subscription", id))
                    : changeable(new Ctx(tx, tenant, now), id);
            Subscription changed = metadata == null ? s : s.withMetadata(Metadata.merged(s.metadata(), metadata, "metadata"));
            if (planId != null) {
                changed = planChanged(tx, tenant, changed, planId, seats, now);
            } else if (seats != null) {
                Plan plan = plans.find(tx, tenant.id(), s.plan()).orElseThrow();
                if (plan.seatsFollowPortalUsers()) throw seatsFollowUsers(plan);
                changed = seatsChanged(tx, tenant, changed, plan, seats, now);
            }
            if (cancelAtPeriodEnd != null) changed = changed.withCancelAtPeriodEnd(cancelAtPeriodEnd);
            if (changed.equals(s)) return s;
            store.update(tx, tenant.id(), changed);
            events.append(tx, tenant.id(), BillingDate.UPDATED, s.account(), now, changed);
            return changed;
        });
    }

    /** The subscription moved to {@code planId} (PlanChange's rules), the upgrade's proration (if any) stored and scheduled. */
    private Subscription planChanged(DSLContext tx, Tenant tenant, Subscription s, String planId, Integer seats, Instant now) {
        Plan current = plans.find(tx, tenant.id(), s.plan()).orElseThrow();
        Plan target = plans.find(tx, tenant.id(), planId).orElseThrow(() -> noSuchPlan(planId));
        PlanChange change = PlanChange.to(s, current, target, seats, zone(new Ctx(tx, tenant, now), s), now);
        PendingCharge proration = change.proration();
        if (proration != null) {
            store.insertPending(tx, tenant.id(), proration);
            billing.schedule(tx, tenant.id(), s.account(), proration.billAt());
        }
        return change.subscription();
    }

    /** The subscription with {@code seats} (SeatChange's rules), its proration (if any) stored and scheduled. */
    private Subscription seatsChanged(DSLContext tx, Tenant tenant, Subscription s, Plan plan, int seats, Instant now) {
        SeatChange change = SeatChange.to(s, plan, zone(new Ctx(tx, tenant, now), s), seats, now);
        PendingCharge proration = change.proration();
        if (proration != null) {
            store.insertPending(tx, tenant.id(), proration);
            // For a monthly plan this is the renewal, already scheduled; for a yearly one, a month of it.
            billing.schedule(tx, tenant.id(), s.account(), proration.billAt());
        }
        return change.subscription();
    }

    private static Problem seatsFollowUsers(Plan plan) {
        return Problem.invalid("seats", "seats_from_portal_users", "Plan " + plan.id()
                + " counts the account's active portal users as its seats (seats_from portal_users): leave 'seats' out");
    }

    // ---- seats_from portal_users (decision 039) ----

    /** Counts an account's active portal users, in the caller's transaction (the accounts capability knows them). */
    @FunctionalInterface
    public interface SeatCounter {
        int activeUsers(DSLContext tx, Tenant tenant, String accountId);
    }

    private volatile SeatCounter seatCounter = (tx, tenant, accountId) -> {
        throw new IllegalStateException("no portal users' seat counter wired");
    };

    public void countSeatsWith(SeatCounter counter) {
        this.seatCounter = counter;
    }

    /**
     * The account's active portal users changed to {@code activeUsers}: each live subscription of a seats plan with
     * {@code seats_from: portal_users} takes that count as a seat change does — one more is charged at once, prorated
     * onto the next invoice; one fewer is freed from the next period, nothing credited.
     */
    public void followActiveUsers(Ctx ctx, String accountId, int activeUsers) {
        DSLContext tx = ctx.tx();
        accounts.lockStanding(tx, ctx.tenantId(), accountId);
        for (Subscription s : store.lockLive(tx, ctx.tenantId(), accountId)) {
            if (s.planType() != PlanType.SEATS) continue;
            Plan plan = plans.find(tx, ctx.tenantId(), s.plan()).orElseThrow();
            if (!plan.seatsFollowPortalUsers()) continue;
            Subscription changed = seatsChanged(tx, ctx.tenant(), s, plan, Math.max(1, activeUsers), ctx.now());
            if (changed.equals(s)) continue;
            store.update(tx, ctx.tenantId(), changed);
            events.append(tx, ctx.tenantId(), BillingDate.UPDATED, s.account(), ctx.now(), changed);
        }
    }

    /**
     * Gives {@code periods} free billing periods ({@link FreePeriods}, decision 049): the subscription's next renewals,
     * a month each on a monthly plan and a year on a yearly one, are invoiced with a 100 % discount line saying
     * {@code reason}. Added to what is left of an earlier grant. Flat and seats plans only (a usage plan has no
     * recurring price to give); not on a subscription that ends at its period's end (nothing more is billed).
     */
    public Subscription giveFreePeriods(Tenant tenant, String id, int periods, String reason) {
        if (periods < 1 || periods > FreePeriods.MAX)
            throw Problem.invalid("periods", "parameter_invalid", "Give from 1 to " + FreePeriods.MAX + " free periods");
        String why = reason == null || reason.isBlank() ? null : reason.strip();
        if (why != null && why.length() > FreePeriods.MAX_REASON)
            throw Problem.invalid("reason", "parameter_invalid", "The reason has at most " + FreePeriods.MAX_REASON + " characters");
        return db.tx(tx -> {
            Instant now = clock.now(tx, tenant);
            Subscription s = changeable(new Ctx(tx, tenant, now), id);
            if (s.planType() == PlanType.USAGE)
                throw Problem.invalid("periods", "free_period_usage_plan", "A usage plan has no recurring price to give free");
            if (s.cancelAtPeriodEnd())
                throw Problem.conflict("subscription_ending", "The subscription ends at its period's end: no period is left to give");
            Subscription changed = s.withFreePeriods(periods, why);
            store.update(tx, tenant.id(), changed);
            events.append(tx, tenant.id(), BillingDate.UPDATED, s.account(), now, changed);
            return changed;
        });
    }

    /**
     * Cancels now (no refund; a usage subscription bills its open cycle's usage at once) or at the period's end
     * (no renewal; the billing run ends it then).
     */
    public Subscription cancel(Tenant tenant, String id, boolean atPeriodEnd) {
        // A usage cycle cut short is invoiced now; on a test tenant its charge runs before the API answers (decision 028).
        return db.tx(tx -> {
            Instant now = clock.now(tx, tenant);
            Subscription s = changeable(new Ctx(tx, tenant, now), id);
            if (atPeriodEnd) {
                if (s.cancelAtPeriodEnd()) return s;
                Subscription changed = s.withCancelAtPeriodEnd(true);
                store.update(tx, tenant.id(), changed);
                events.append(tx, tenant.id(), BillingDate.UPDATED, s.account(), now, changed);
                return changed;
            }
            return cancelNow(new Ctx(tx, tenant, now), s);
        });
    }

    /** Cancels now, in the caller's transaction. */
    private Subscription cancelNow(Ctx ctx, Subscription s) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        Instant now = ctx.now();
        // A usage cycle is cut short and billed now; a trial's usage is free, and flat periods were paid ahead.
        boolean billUsage = s.planType() == PlanType.USAGE && !s.isInTrial();
        Subscription canceled = s.canceled(now, billUsage ? now : s.currentPeriodEnd(), billUsage ? now : null);
        store.update(tx, tenant.id(), canceled);
        events.append(tx, tenant.id(), BillingDate.CANCELED, s.account(), now, canceled);
        if (!billUsage) return canceled;
        billing.billNow(ctx, s.account());
        return store.find(tx, tenant.id(), s.id()).orElseThrow();
    }

    // ---- dunning's changes, in the caller's transaction ----

    /** The named subscriptions that are active become past due (an invoice of theirs is unpaid). */
    public void markPastDue(Ctx ctx, String accountId, java.util.Collection<String> ids) {
        for (Subscription s : store.lockLive(ctx.tx(), ctx.tenantId(), accountId))
            if (ids.contains(s.id()) && s.status() == SubscriptionStatus.ACTIVE) restate(ctx, s, SubscriptionStatus.PAST_DUE);
    }

    /** Every subscription of the account that is not canceled is suspended, those in good standing included. */
    public void suspendAll(Ctx ctx, String accountId) {
        for (Subscription s : store.lockLive(ctx.tx(), ctx.tenantId(), accountId))
            if (s.status() != SubscriptionStatus.SUSPENDED) restate(ctx, s, SubscriptionStatus.SUSPENDED);
    }

    /** Every subscription of the account that is not canceled is canceled now. */
    public void cancelAll(Ctx ctx, String accountId) {
        for (Subscription s : store.lockLive(ctx.tx(), ctx.tenantId(), accountId)) cancelNow(ctx, s);
    }

    /** Past due and suspended subscriptions are in good standing again: active, or trialing inside their trial. */
    public void reinstateAll(Ctx ctx, String accountId) {
        for (Subscription s : store.lockLive(ctx.tx(), ctx.tenantId(), accountId)) {
            if (s.status() != SubscriptionStatus.PAST_DUE && s.status() != SubscriptionStatus.SUSPENDED) continue;
            restate(ctx, s, s.isInTrial() ? SubscriptionStatus.TRIALING : SubscriptionStatus.ACTIVE);
        }
    }

    private void restate(Ctx ctx, Subscription s, SubscriptionStatus status) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        Subscription changed = s.withStatus(status);
        store.update(tx, tenant.id(), changed);
        events.append(tx, tenant.id(), BillingDate.UPDATED, s.account(), ctx.now(), changed);
    }

    private Subscription changeable(Ctx ctx, String id) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        // The account first, then the subscription: the order dunning and invoicing lock them in, so none deadlocks.
        Subscription seen = store.find(tx, tenant.id(), id).orElseThrow(() -> Problem.notFound("subscription", id));
        accounts.lockStanding(tx, tenant.id(), seen.account());
        Subscription s = store.lock(tx, tenant.id(), id).orElseThrow(() -> Problem.notFound("subscription", id));
        if (s.isCanceled()) throw Problem.conflict("subscription_canceled", "Subscription " + id + " is canceled; a canceled subscription cannot change");
        return s;
    }

    private ZoneId zone(Ctx ctx, Subscription s) {
        return ZoneId.of(accounts.find(ctx.tx(), ctx.tenantId(), s.account()).orElseThrow().timezone());
    }
}
