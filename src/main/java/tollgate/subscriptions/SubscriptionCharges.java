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

    /** A batch of the billing run: only the accounts with something due are asked, one by one. */
    @Override
    public java.util.Map<String, Charges> dueAtAll(Ctx ctx, List<Account> accounts) {
        java.util.Set<String> due = store.accountsWithDue(ctx.tx(), ctx.tenant().id(), accounts.stream().map(Account::id).toList(), ctx.now(), IN_ADVANCE, true);
        if (due.isEmpty()) return java.util.Map.of();
        return ChargeSource.super.dueAtAll(ctx, accounts.stream().filter(a -> due.contains(a.id())).toList());
    }

    @Override
    public Charges dueAt(Ctx ctx, Account account) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        Instant at = ctx.now();
        Map<String, Subscription> touched = new TreeMap<>();
        Map<String, List<InvoiceLine>> lines = new TreeMap<>();
        for (Subscription s : store.lockDue(tx, tenant.id(), account.id(), at, IN_ADVANCE)) {
            // The period starts at its billing date, also when that date is billed late (a run that could not bill it).
            BillingDate date = BillingDate.inAdvance(s, plan(ctx, s.pendingPlan() != null ? s.pendingPlan() : s.plan()), account.zone(), s.billing().nextBillingAt());
            Subscription next = date.subscription();
            touched.put(s.id(), next);
            lines.computeIfAbsent(s.id(), k -> new ArrayList<>()).addAll(date.lines());
            if (next.billing().nextBillingAt() != null)
                billing.schedule(tx, tenant.id(), account.id(), next.billing().nextBillingAt());
            if (date.event() != null) events.append(tx, tenant.id(), date.event(), account.id(), at, next);
        }
        List<PendingCharge> pending = store.lockPendingDue(tx, tenant.id(), account.id(), at);
        for (PendingCharge p : pending) {
            touched.computeIfAbsent(p.subscription(), id -> store.lock(tx, tenant.id(), id).orElseThrow());
            lines.computeIfAbsent(p.subscription(), k -> new ArrayList<>()).add(p.line());
        }
        store.markBilled(tx, pending, at);
        return settle(ctx, account.zone(), touched, lines);
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
            store.update(tx, tenantId, s);
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
