package tollgate.usage;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jooq.DSLContext;
import tollgate.billing.BillingSchedule;
import tollgate.charges.ChargeSource;
import tollgate.charges.Charges;
import tollgate.catalog.Plan;
import tollgate.catalog.Plans;
import tollgate.events.EventLog;
import tollgate.invoicing.InvoiceLine;
import tollgate.subscriptions.BillingDate;
import tollgate.subscriptions.Subscription;
import tollgate.subscriptions.UsageCycles;
import tollgate.tenants.Ctx;
import tollgate.tenants.Tenant;

/**
 * What usage subscriptions bill at an instant T (SPEC §2): every usage subscription of the account whose cycle
 * ends at T bills the cycle's summed quantity, priced by its plan, in arrears, and starts the next cycle (or ends,
 * when canceled). Its cycles end on the same monthly dates a flat subscription signed up at the same instant bills
 * on, so both land on one invoice.
 */
public final class UsageCharges implements ChargeSource {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(UsageCharges.class);
    /** How long after a run that could not bill a cycle (see {@link #unbillable}) the account's billing runs again. */
    static final java.time.Duration UNBILLABLE_RETRY = java.time.Duration.ofDays(1);

    private final UsageStore store;
    private final UsageCycles subscriptions;
    private final Plans plans;
    private final EventLog events;
    private final BillingSchedule billing;

    public UsageCharges(UsageStore store, UsageCycles subscriptions, Plans plans, EventLog events, BillingSchedule billing) {
        this.store = store;
        this.subscriptions = subscriptions;
        this.plans = plans;
        this.events = events;
        this.billing = billing;
    }

    /** A batch of the billing run: only the accounts with something due are asked, one by one. */
    @Override
    public java.util.Map<String, Charges> dueAtAll(Ctx ctx, List<Account> accounts) {
        java.util.Set<String> due = subscriptions.accountsWithCycleEnded(ctx, accounts.stream().map(Account::id).toList());
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
        // The lock waits for batches still writing into the cycle, so none is recorded after its total is read.
        for (Subscription s : subscriptions.lockCyclesEnded(ctx, account.id())) {
            Plan plan = plans.find(tx, tenant.id(), s.plan()).orElseThrow(() -> new IllegalStateException("subscribed plan is gone: " + s.plan()));
            BillingDate date;
            try {
                long quantity = s.isInTrial() ? 0 : store.total(tx, s.id(), s.currentPeriodStart());
                // The cycle ends at its billing date: the run's instant, or an earlier one a run could not bill (below).
                date = BillingDate.inArrears(s, plan, account.zone(), s.billing().nextBillingAt(), quantity);
            } catch (ArithmeticException tooLarge) {
                unbillable(ctx, account, s, at, tooLarge);
                continue;
            }
            Subscription next = date.subscription();
            touched.put(s.id(), next);
            lines.put(s.id(), date.lines());
            if (next.billing().nextBillingAt() != null)
                billing.schedule(tx, tenant.id(), account.id(), next.billing().nextBillingAt());
            if (date.event() != null) events.append(tx, tenant.id(), date.event(), account.id(), at, next);
        }
        if (touched.isEmpty()) return Charges.NONE;
        return subscriptions.settle(ctx, account.zone(), touched, lines);
    }

    /** A cycle is billed once: its end moves on with the bill. */
    @Override
    public boolean billsOnlyWhatIsOwed() {
        return true;
    }

    /**
     * A cycle whose usage costs more than one invoice line carries (or sums past a {@code long}) cannot be billed, and no
     * retry changes that. Failing the account's billing run would fail every retry of it and leave the row dead, the
     * account never billed again. Instead the account is billed for everything else; the subscription stays as it
     * is, its cycle open and its billing date passed, so nothing is lost; the error is logged; and the account's
     * billing runs again a day later, and so every day until the usage has been corrected, when that run bills it.
     */
    private void unbillable(Ctx ctx, Account account, Subscription s, Instant at, ArithmeticException tooLarge) {
        Tenant tenant = ctx.tenant();
        log.error("usage of subscription {} (account {}, tenant {}) for the cycle from {} cannot be billed: {}; retrying at {}",
                s.id(), account.id(), tenant.id(), s.currentPeriodStart(), tooLarge.getMessage(), at.plus(UNBILLABLE_RETRY));
        billing.schedule(ctx.tx(), tenant.id(), account.id(), at.plus(UNBILLABLE_RETRY));
    }
}
