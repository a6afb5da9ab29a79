package tollgate.subscriptions;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jooq.DSLContext;
import tollgate.billing.BillingSchedule;
import tollgate.charges.ChargeSource;
import tollgate.charges.Charges;
import tollgate.catalog.Coupon;
import tollgate.catalog.Coupons;
import tollgate.catalog.Plan;
import tollgate.catalog.PlanType;
import tollgate.catalog.Plans;
import tollgate.events.EventLog;
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

    private final SubscriptionStore store;
    private final Plans plans;
    private final Coupons coupons;
    private final EventLog events;
    private final BillingSchedule billing;

    public SubscriptionCharges(SubscriptionStore store, Plans plans, Coupons coupons, EventLog events, BillingSchedule billing) {
        this.store = store;
        this.plans = plans;
        this.coupons = coupons;
        this.events = events;
        this.billing = billing;
    }

    /** A batch of the billing run: only the accounts with something due are asked, one by one. */
    @Override
    public java.util.Map<String, Charges> dueAtAll(Ctx ctx, List<Account> accounts) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        Instant at = ctx.now();
        java.util.Set<String> due = store.accountsWithDue(tx, tenant.id(), accounts.stream().map(Account::id).toList(), at, IN_ADVANCE, true);
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
            BillingDate date = BillingDate.inAdvance(s, plan(tx, tenant, s.plan()), account.zone(), s.billing().nextBillingAt());
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
        return settle(tx, tenant, account.zone(), at, touched, lines);
    }

    @Override
    public Set<String> accountsWithCycleEnded(DSLContext tx, Tenant tenant, List<String> accountIds, Instant at) {
        return store.accountsWithDue(tx, tenant.id(), accountIds, at, EnumSet.of(PlanType.USAGE), false);
    }

    @Override
    public List<Subscription> lockCyclesEnded(DSLContext tx, Tenant tenant, String accountId, Instant at) {
        return store.lockDue(tx, tenant.id(), accountId, at, EnumSet.of(PlanType.USAGE));
    }

    /**
     * Closes the subscriptions' part of one invoice: each one with lines gets its coupon's discount on them and
     * counts one more invoice; all are saved. Usage billing closes its subscriptions the same way.
     */
    @Override
    public Charges settle(DSLContext tx, Tenant tenant, ZoneId zone, Instant at, Map<String, Subscription> touched,
                          Map<String, List<InvoiceLine>> lines) {
        String tenantId = tenant.id();
        List<InvoiceLine> all = new ArrayList<>();
        List<Discount> discounts = new ArrayList<>();
        List<PaymentTerms> terms = new ArrayList<>();
        for (Subscription s : touched.values()) {
            List<InvoiceLine> own = lines.getOrDefault(s.id(), List.of());
            if (!own.isEmpty()) {
                terms.add(s.terms());
                if (s.coupon() != null) {
                    Coupon coupon = coupons.find(tx, tenantId, s.coupon()).orElseThrow();
                    CouponDiscount.on(coupon, s, zone, at, own).ifPresent(discounts::add);
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

    private Plan plan(DSLContext tx, Tenant tenant, String planId) {
        return plans.find(tx, tenant.id(), planId).orElseThrow(() -> new IllegalStateException("subscribed plan is gone: " + planId));
    }
}
