package tollgate.invoicing;

import java.time.Instant;
import java.time.YearMonth;
import java.util.Map;
import java.util.TreeMap;
import org.jooq.DSLContext;
import org.jooq.Record;
import tollgate.core.Database;
import tollgate.core.MonthBuckets;
import tollgate.core.RunningSums;
import tollgate.tenants.Tenant;
import tollgate.tenants.TenantClock;

/**
 * The console home's invoice figures (issue 14 point 2, decision 046), per currency, by aggregate SQL over the
 * tenant's invoices: invoiced this month (issued, not voided), outstanding (open amount due) and past due (open amount
 * due of invoices that became past due). A read model: it only reads the tables invoicing owns.
 */
public final class InvoiceFigures {
    /** This month's figures as of {@code asOf} (the tenant's clock), currency → minor units. */
    public record Month(Instant asOf, YearMonth month, Map<String, Long> invoiced, Map<String, Long> outstanding,
                        Map<String, Long> pastDue) {}

    private final Database db;
    private final TenantClock clock;
    /** This month's issued totals up to an hour ago, kept (decision 050). */
    private final RunningSums running = new RunningSums();

    public InvoiceFigures(Database db, TenantClock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** The tenant's clock, which {@link #thisMonth(Tenant, Instant)} is read at. */
    public Instant asOf(Tenant tenant) {
        return clock.now(db.dsl(), tenant);
    }

    public Month thisMonth(Tenant tenant) {
        return thisMonth(tenant, asOf(tenant));
    }

    /**
     * This month's figures at {@code now}. Invoiced: the totals of the invoices issued this month, a running sum (an
     * issued invoice's total and issue time never change: the settled part is kept, the last hour read), less those
     * of this month's invoices voided since, read each time (few).
     */
    public Month thisMonth(Tenant tenant, Instant now) {
        DSLContext dsl = db.dsl();
        MonthBuckets month = MonthBuckets.lastMonths(now, 1);
        // currency → total, and "currency#" → how many: a currency whose every invoice was voided is not named
        Map<String, Long> issued = new TreeMap<>(running.sum(tenant.id(), "invoiced", month.from(), now, month.end(0), (from, to) -> sums(dsl,
                "select currency, sum(total), count(*) from invoices where tenant_id = ? and issued_at >= ? and issued_at < ? group by currency",
                tenant.id(), from, to)));
        sums(dsl, "select currency, sum(total), count(*) from invoices where tenant_id = ? and status = 'void' and issued_at >= ? and issued_at < ?"
                + " group by currency", tenant.id(), month.from(), month.end(0)).forEach((key, v) -> issued.merge(key, -v, Long::sum));
        Map<String, Long> invoiced = new TreeMap<>();
        issued.forEach((key, v) -> {
            if (!key.endsWith("#") && issued.getOrDefault(key + "#", 0L) > 0) invoiced.put(key, v);
        });
        Map<String, Long> outstanding = new TreeMap<>();
        Map<String, Long> pastDue = new TreeMap<>();
        for (Record r : dsl.fetch("select currency, sum(amount_due), sum(case when past_due_at is not null then amount_due else 0 end) "
                + "from invoices where tenant_id = ? and status = 'open' group by currency", tenant.id())) {
            outstanding.put(r.get(0, String.class), r.get(1, Long.class));
            pastDue.put(r.get(0, String.class), r.get(2, Long.class));
        }
        return new Month(now, month.months().get(0), invoiced, outstanding, pastDue);
    }

    /** Rows of currency, sum, count as "currency" → sum and "currency#" → count. */
    private static Map<String, Long> sums(DSLContext dsl, String sql, Object... args) {
        Map<String, Long> out = new TreeMap<>();
        for (Record r : dsl.fetch(sql, args)) {
            out.put(r.get(0, String.class), r.get(1, Long.class));
            out.put(r.get(0, String.class) + "#", r.get(2, Long.class));
        }
        return out;
    }

    /** The currencies the tenant has invoiced in, for the invoice list's filter. */
    public java.util.List<String> currencies(Tenant tenant) {
        return db.dsl().fetch("select distinct currency from invoices where tenant_id = ? order by currency", tenant.id())
                .map(r -> r.get(0, String.class));
    }
}
