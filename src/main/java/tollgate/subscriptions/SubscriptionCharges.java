package tollgate.subscriptions;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jooq.DSLContext;
import tollgate.billing.BillingSchedule;
import tollgate.charges.ChargeSource;
import tollgate.charges.Charges;
import tollgate.catalog.Coupon;
import tollgate.catalog.Plan;
import tollgate.catalog.PlanLookup;
import tollgate.catalog.PlanType;
import tollgate.invoicing.Discount;
import tollgate.invoicing.InvoiceLine;
import tollgate.invoicing.PaymentTerms;
import tollgate.tenants.Ctx;
import tollgate.tenants.Tenant;

/**
 * What flat and seats subscriptions bill at an instant T (SPEC §2): every subscription of the account whose
 * billing date is T bills its new period in advance (a {@code subscription} line and, for seats plans, a
 * {@code seats} line) and schedules its next date; and every proration line due by T is billed. A yearly
 * subscription's proration lines fall due on its monthly dates, which are scheduled when the lines arise.
 */
public final class SubscriptionCharges implements ChargeSource, UsageCycles {
    private static final Set<PlanType> IN_ADVANCE = EnumSet.of(PlanType.FLAT, PlanType.SEATS);

    /**
     * The subscriptions' rows the charges read, lock and save, in the caller's transaction ({@link SubscriptionStore}
     * implements it; {@code SubscriptionChargesTest} keeps them in memory).
     */
    public interface Rows {
        Set<String> accountsWithDue(DSLContext db, String tenantId, List<String> accountIds, Instant at, Set<PlanType> types,
                                    boolean prorations);

        List<Subscription> lockDue(DSLContext db, String tenantId, String accountId, Instant at, Set<PlanType> types);

        List<PendingCharge> lockPendingDue(DSLContext db, String tenantId, String accountId, Instant at);

        Optional<Subscription> lock(DSLContext db, String tenantId, String id);

        void markBilled(DSLContext db, List<PendingCharge> charges, Instant at);

        void update(DSLContext db, String tenantId, Subscription s);

        /**
         * {@link #lockDue} for many accounts, together with the subscriptions {@code alsoLock} names (of those accounts:
         * ones with pending lines), all in one lock order, account by account and each one's in id order (decision 010);
         * by account.
         */
        default Map<String, List<Subscription>> lockDueAll(DSLContext db, String tenantId, List<String> accountIds, Instant at,
                                                           Set<PlanType> types, Set<String> alsoLock) {
            Map<String, List<Subscription>> locked = new java.util.HashMap<>();
            for (String a : accountIds) locked.put(a, new ArrayList<>(lockDue(db, tenantId, a, at, types)));
            for (String id : new java.util.TreeSet<>(alsoLock)) {
                Subscription s = lock(db, tenantId, id).orElseThrow();
                List<Subscription> ofAccount = locked.computeIfAbsent(s.account(), k -> new ArrayList<>());
                if (ofAccount.stream().noneMatch(d -> d.id().equals(id))) ofAccount.add(s);
            }
            return locked;
        }

        /** {@link #lockPendingDue} for many accounts; by account. */
        default Map<String, List<PendingCharge>> lockPendingDueAll(DSLContext db, String tenantId, List<String> accountIds, Instant at) {
            Map<String, List<PendingCharge>> due = new java.util.HashMap<>();
            for (String a : accountIds) due.put(a, lockPendingDue(db, tenantId, a, at));
            return due;
        }

        /** {@link #update} for many. */
        default void updateAll(DSLContext db, String tenantId, List<Subscription> subscriptions) {
            for (Subscription s : subscriptions) update(db, tenantId, s);
        }
    }

    /** A tenant's coupon by id (the catalog's {@code Coupons.find}). */
    @FunctionalInterface
    public interface CouponLookup {
        Optional<Coupon> find(DSLContext tx, String tenantId, String couponId);
    }

    /** Where a billing date that changed what the API shows is told ({@code EventLog.append}). */
    @FunctionalInterface
    public interface Events {
        void append(DSLContext tx, String tenantId, String type, String accountId, Instant at, Object data);
    }

    private final Rows store;
    private final PlanLookup plans;
    private final CouponLookup coupons;
    private final Events events;
    private final BillingSchedule billing;

    public SubscriptionCharges(Rows store, PlanLookup plans, CouponLookup coupons, Events events, BillingSchedule billing) {
        this.store = store;
        this.plans = plans;
        this.coupons = coupons;
        this.events = events;
        this.billing = billing;
    }

    /**
     * A batch of the billing run, or signups billed together (decision 069): only the accounts with something due are
     * asked, and their due subscriptions and pending lines are locked, their next billing dates scheduled and their
     * subscriptions saved with one statement each for the whole batch.
     */
    @Override
    public java.util.Map<String, Charges> dueAtAll(Ctx ctx, List<Account> accounts) {
        // An account opened with its subscription is billed now because that subscription is due: no need to ask.
        List<String> asked = accounts.stream().filter(a -> !a.opened()).map(Account::id).toList();
        java.util.Set<String> due = new java.util.HashSet<>(store.accountsWithDue(ctx.tx(), ctx.tenantId(), asked, ctx.now(), IN_ADVANCE, true));
        for (Account a : accounts) if (a.opened()) due.add(a.id());
        if (due.isEmpty()) return java.util.Map.of();
        return charge(ctx, accounts.stream().filter(a -> due.contains(a.id())).toList());
    }

    @Override
    public Charges dueAt(Ctx ctx, Account account) {
        return charge(ctx, List.of(account)).getOrDefault(account.id(), Charges.NONE);
    }

    @Override
    public boolean billsAccountsOpenedNow() {
        return true;
    }

    /**
     * The accounts' charges: their due subscriptions and pending lines locked with one statement each, each account's
     * charges made by {@link #due}, then the lines marked billed, the next billing dates scheduled and the subscriptions
     * saved together. Accounts with nothing due are left out of the answer.
     */
    private java.util.Map<String, Charges> charge(Ctx ctx, List<Account> asked) {
        DSLContext tx = ctx.tx();
        String tenantId = ctx.tenantId();
        Instant at = ctx.now();
        List<String> ids = asked.stream().map(Account::id).toList();
        // The lines first, then every subscription to change in one statement (the due ones and those the lines belong
        // to), so that all are locked in one order, as usage batches lock them (decision 010).
        Map<String, List<PendingCharge>> pending = store.lockPendingDueAll(tx, tenantId, ids, at);
        Set<String> withLines = new java.util.HashSet<>();
        pending.values().forEach(lines -> lines.forEach(p -> withLines.add(p.subscription())));
        Map<String, List<Subscription>> locked = store.lockDueAll(tx, tenantId, ids, at, IN_ADVANCE, withLines);
        Map<Instant, java.util.Set<String>> next = new TreeMap<>();
        List<Subscription> saved = new ArrayList<>();
        List<PendingCharge> billed = new ArrayList<>();
        java.util.Map<String, Charges> charges = new java.util.HashMap<>();
        for (Account account : asked) {
            List<PendingCharge> lines = pending.getOrDefault(account.id(), List.of());
            billed.addAll(lines);
            Charges c = due(ctx, account, locked.getOrDefault(account.id(), List.of()), lines, next, saved);
            if (!c.isEmpty()) charges.put(account.id(), c);
        }
        store.markBilled(tx, billed, at);
        next.forEach((date, accountIds) -> billing.scheduleAll(tx, tenantId, List.copyOf(accountIds), date));
        store.updateAll(tx, tenantId, saved);
        return charges;
    }

    /**
     * One account's charges from its subscriptions and pending lines (locked by the caller: the due subscriptions and
     * those the lines belong to): each due subscription's new period billed in advance and its next billing date added
     * to {@code next}; the subscriptions to save added to {@code saved}.
     */
    private Charges due(Ctx ctx, Account account, List<Subscription> locked, List<PendingCharge> pending,
                        Map<Instant, java.util.Set<String>> next, List<Subscription> saved) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        Instant at = ctx.now();
        Map<String, Subscription> touched = new TreeMap<>();
        Map<String, List<InvoiceLine>> lines = new TreeMap<>();
        for (Subscription s : locked) {
            if (!billsInAdvanceBy(s, at)) continue;
            // The period starts at its billing date, also when that date is billed late (a run that could not bill it).
            BillingDate date = BillingDate.inAdvance(s, plan(ctx, s.pendingPlan() != null ? s.pendingPlan() : s.plan()), account.zone(), s.billing().nextBillingAt());
            Subscription moved = date.subscription();
            touched.put(s.id(), moved);
            lines.computeIfAbsent(s.id(), k -> new ArrayList<>()).addAll(date.lines());
            if (moved.billing().nextBillingAt() != null)
                next.computeIfAbsent(moved.billing().nextBillingAt(), d -> new java.util.LinkedHashSet<>()).add(account.id());
            if (date.event() != null) events.append(tx, tenant.id(), date.event(), account.id(), at, moved);
        }
        Map<String, Subscription> byId = new java.util.HashMap<>();
        for (Subscription s : locked) byId.put(s.id(), s);
        for (PendingCharge p : pending) {
            touched.computeIfAbsent(p.subscription(), byId::get);
            lines.computeIfAbsent(p.subscription(), k -> new ArrayList<>()).add(p.line());
        }
        return close(ctx, account.zone(), touched, lines, saved);
    }

    /** Whether the subscription is billed in advance and its billing date has come by {@code at} ({@link Rows#lockDue}'s rows). */
    private static boolean billsInAdvanceBy(Subscription s, Instant at) {
        return IN_ADVANCE.contains(s.planType()) && s.billing().nextBillingAt() != null && !s.billing().nextBillingAt().isAfter(at);
    }

    @Override
    public Set<String> accountsWithCycleEnded(Ctx ctx, List<String> accountIds) {
        return store.accountsWithDue(ctx.tx(), ctx.tenantId(), accountIds, ctx.now(), EnumSet.of(PlanType.USAGE), false);
    }

    @Override
    public List<Subscription> lockCyclesEnded(Ctx ctx, String accountId) {
        return store.lockDue(ctx.tx(), ctx.tenantId(), accountId, ctx.now(), EnumSet.of(PlanType.USAGE));
    }

    /**
     * Closes the subscriptions' part of one invoice: each one with lines gets its coupon's discount on them and
     * counts one more invoice; all are saved. Usage billing closes its subscriptions the same way.
     */
    @Override
    public Charges settle(Ctx ctx, ZoneId zone, Map<String, Subscription> touched, Map<String, List<InvoiceLine>> lines) {
        List<Subscription> saved = new ArrayList<>();
        Charges charges = close(ctx, zone, touched, lines, saved);
        store.updateAll(ctx.tx(), ctx.tenantId(), saved);
        return charges;
    }

    /** {@link #settle}, the subscriptions to save added to {@code saved} rather than saved. */
    private Charges close(Ctx ctx, ZoneId zone, Map<String, Subscription> touched, Map<String, List<InvoiceLine>> lines,
                          List<Subscription> saved) {
        DSLContext tx = ctx.tx();
        String tenantId = ctx.tenantId();
        List<InvoiceLine> all = new ArrayList<>();
        List<Discount> discounts = new ArrayList<>();
        List<PaymentTerms> terms = new ArrayList<>();
        for (Subscription s : touched.values()) {
            List<InvoiceLine> own = lines.getOrDefault(s.id(), List.of());
            if (!own.isEmpty()) {
                terms.add(s.terms());
                long couponOff = 0;
                if (s.coupon() != null) {
                    Coupon coupon = coupons.find(tx, tenantId, s.coupon()).orElseThrow();
                    Optional<Discount> d = CouponDiscount.on(coupon, s, zone, ctx.now(), own);
                    if (d.isPresent()) {
                        discounts.add(d.get());
                        couponOff = d.get().amount();
                    }
                }
                Optional<Discount> free = FreePeriods.on(s, own, couponOff);
                if (free.isPresent()) {
                    if (free.get().amount() > 0) discounts.add(free.get());
                    s = s.withFreePeriods(-1, s.billing().freeReason());
                }
                all.addAll(own);
                s = s.invoiced();
            }
            saved.add(s);
        }
        return all.isEmpty() && discounts.isEmpty() ? Charges.NONE : new Charges(all, discounts, PaymentTerms.combined(terms));
    }

    /** Subscriptions bill what their billing dates and pending lines owe, and move those on: asking twice bills once. */
    @Override
    public boolean billsOnlyWhatIsOwed() {
        return true;
    }

    private Plan plan(Ctx ctx, String planId) {
        return plans.find(ctx.tx(), ctx.tenantId(), planId).orElseThrow(() -> new IllegalStateException("subscribed plan is gone: " + planId));
    }
}
