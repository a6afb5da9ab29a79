package tollgate.invoicing;

import java.time.Instant;
import java.time.YearMonth;
import java.util.Map;
import java.util.TreeMap;
import org.jooq.DSLContext;
import org.jooq.Record;
import tollgate.core.Database;
import tollgate.core.MonthBuckets;
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

    public InvoiceFigures(Database db, TenantClock clock) {
        this.db = db;
        this.clock = clock;
    }

    public Month thisMonth(Tenant tenant) {
        DSLContext dsl = db.dsl();
        Instant now = clock.now(dsl, tenant);
        MonthBuckets month = MonthBuckets.lastMonths(now, 1);
        Map<String, Long> invoiced = new TreeMap<>();
        for (Record r : dsl.fetch("select currency, sum(total) from invoices where tenant_id = ? and issued_at >= ? and issued_at <= ? "
                + "and status <> 'void' group by currency", tenant.id(), month.from(), now))
            invoiced.put(r.get(0, String.class), r.get(1, Long.class));
        Map<String, Long> outstanding = new TreeMap<>();
        Map<String, Long> pastDue = new TreeMap<>();
        for (Record r : dsl.fetch("select currency, sum(amount_due), sum(case when past_due_at is not null then amount_due else 0 end) "
                + "from invoices where tenant_id = ? and status = 'open' group by currency", tenant.id())) {
            outstanding.put(r.get(0, String.class), r.get(1, Long.class));
            pastDue.put(r.get(0, String.class), r.get(2, Long.class));
        }
        return new Month(now, month.months().get(0), invoiced, outstanding, pastDue);
    }

    /** The currencies the tenant has invoiced in, for the invoice list's filter. */
    public java.util.List<String> currencies(Tenant tenant) {
        return db.dsl().fetch("select distinct currency from invoices where tenant_id = ? order by currency", tenant.id())
                .map(r -> r.get(0, String.class));
    }
}
