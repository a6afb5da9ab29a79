package tollgate.testing;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jooq.DSLContext;
import org.jooq.Record;
import tollgate.Tollgate;
import tollgate.accounts.Account;
import tollgate.accounts.AccountStore;
import tollgate.billing.BillingSchedule;
import tollgate.charges.ChargeSource;
import tollgate.charges.Charges;
import tollgate.invoicing.Discount;
import tollgate.invoicing.InvoiceLine;
import tollgate.subscriptions.SubscriptionStore;
import tollgate.subscriptions.Subscriptions;
import tollgate.tenants.Tenant;
import tollgate.usage.Usage;
import tollgate.usage.UsageStore;

/**
 * Billing scenarios with exact dates. Invoices are written by the invoicing capability; until it is merged the
 * run's writer drops them, so these tests look at what the charge sources answer. {@link #billing} builds the
 * subscription and usage services over the server's database with a billing schedule that records what a
 * {@code billNow} computes (the first period at signup, a usage cycle at cancellation) and schedules real
 * timeline rows; {@link #chargesAt} asks the sources what is due at an instant, inside one transaction of the
 * server's database, as the billing run does.
 */
public final class Scenario implements BillingSchedule {
    /** One {@code billNow}: the account, the instant and what the sources answered. */
    public record Billed(String account, Instant at, Charges charges) {}

    private final Tollgate app;
    public final Subscriptions subscriptions;
    public final Usage usage;
    public final List<Billed> billedNow = new CopyOnWriteArrayList<>();

    private Scenario(Tollgate app) {
        this.app = app;
        SubscriptionStore store = new SubscriptionStore();
        AccountStore accounts = new AccountStore();
        this.subscriptions = new Subscriptions(app.db, store, accounts, app.accounts::openAll, app.plans, app.coupons, app.clock, app.events, this);
        this.usage = new Usage(app.db, new UsageStore(), store, accounts, app.plans, subscriptions.charges(), app.clock, app.events, this);
    }

    public static Scenario billing(TestServer server) {
        return new Scenario(server.app);
    }

    /**
     * A new test tenant whose clock reads {@code start}. Its daily purge of idempotency keys is dropped from the
     * timeline: advancing a scenario's clock by months would otherwise run one purge per day passed.
     */
    public static ApiClient tenantAt(TestServer server, Instant start) {
        ApiClient api = server.newTenant();
        server.app.db.tx(tx -> {
            tx.execute("update tenants set clock_now = ? where id = ?", start, api.tenant.id());
            tx.execute("delete from timeline where tenant_id = ? and kind = 'idempotency.purge'", api.tenant.id());
            return null;
        });
        return api;
    }

    @Override
    public void schedule(DSLContext tx, String tenantId, String accountId, Instant at) {
        app.billing.schedule(tx, tenantId, accountId, at);
    }

    @Override
    public void scheduleAll(DSLContext tx, String tenantId, List<String> accountIds, Instant at) {
        app.billing.scheduleAll(tx, tenantId, accountIds, at);
    }

    @Override
    public void billNow(tollgate.tenants.Ctx ctx, String accountId) {
        billedNow.add(new Billed(accountId, ctx.now(), due(ctx.tx(), ctx.tenant(), accountId, ctx.now())));
    }

    /** What the subscription and usage sources bill the account at {@code at}, as the billing run would ask them. */
    public Charges chargesAt(Tenant tenant, String accountId, Instant at) {
        return app.db.tx(tx -> due(tx, tenant, accountId, at));
    }

    private Charges due(DSLContext tx, Tenant tenant, String accountId, Instant at) {
        Account a = new AccountStore().find(tx, tenant.id(), accountId).orElseThrow();
        ChargeSource.Account account = new ChargeSource.Account(a.id(), a.currency(), ZoneId.of(a.timezone()));
        List<InvoiceLine> lines = new ArrayList<>();
        List<Discount> discounts = new ArrayList<>();
        for (ChargeSource source : List.of(subscriptions.charges(), usage.charges())) {
            Charges c = source.dueAt(new tollgate.tenants.Ctx(tx, tenant, at), account);
            lines.addAll(c.lines());
            discounts.addAll(c.discounts());
        }
        return new Charges(lines, discounts);
    }

    /** The tenant's pending {@code billing.run} rows: account id and due time, in due order. */
    public static List<String> billingRuns(TestServer server, Tenant tenant) {
        List<String> rows = new ArrayList<>();
        for (Record r : server.app.db.dsl().fetch("select ref, due_at from timeline where tenant_id = ? and kind = 'billing.run' "
                + "and state = 'pending' order by due_at, id", tenant.id()))
            rows.add(r.get("ref", String.class) + " " + r.get("due_at", Instant.class));
        return rows;
    }

    public static long total(Charges charges) {
        long sum = 0;
        for (InvoiceLine l : charges.lines()) sum += l.amount();
        for (Discount d : charges.discounts()) sum -= d.amount();
        return sum;
    }
}
