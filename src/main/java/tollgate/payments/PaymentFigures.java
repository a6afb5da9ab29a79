package tollgate.payments;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.jooq.DSLContext;
import org.jooq.Record;
import tollgate.core.Database;
import tollgate.core.MonthBuckets;
import tollgate.core.RunningSums;
import tollgate.core.SettledMonths;
import tollgate.tenants.Tenant;

/**
 * Money collected per month and currency (issue 14 point 2, decision 046): the payments received (charges that
 * succeeded and offline payments recorded), by the instant each was received; refunds are not subtracted. One
 * aggregate scan over the months asked.
 */
public final class PaymentFigures {
    private final Database db;
    /** Payments are stamped with the tenant's clock and never re-dated or deleted: a month long over keeps its total. */
    private final SettledMonths settled = new SettledMonths();
    /** The open month's payments up to an hour ago, kept; a view reads the last hour's (decision 050). */
    private final RunningSums running = new RunningSums();

    public PaymentFigures(Database db) {
        this.db = db;
    }

    /** Currency → one total per month of {@code months}, in order; months settled a while ago from memory (decision 050). */
    public Map<String, long[]> collected(Tenant tenant, MonthBuckets months) {
        return settled.monthly(tenant.id(), months, m -> scan(tenant, m), m -> open(tenant, m));
    }

    /** The months still open, each from a running sum of its payments: the settled part kept, the last hour read. */
    Map<String, long[]> open(Tenant tenant, MonthBuckets months) {
        Map<String, long[]> out = new TreeMap<>();
        int n = months.months().size();
        for (int i = 0; i < n; i++) {
            int m = i;
            Instant from = MonthBuckets.start(months.months().get(i));
            running.sum(tenant.id(), "collected", from, months.asOf(), months.end(i), (a, b) -> received(tenant, a, b))
                    .forEach((currency, v) -> out.computeIfAbsent(currency, c -> new long[n])[m] = v);
        }
        return out;
    }

    /** Currency → payments received from {@code from} (inclusive) to {@code to} (exclusive). */
    private Map<String, Long> received(Tenant tenant, Instant from, Instant to) {
        Map<String, Long> out = new TreeMap<>();
        for (Record r : db.dsl().fetch("select currency, sum(amount) from payments where tenant_id = ? and created_at >= ? and created_at < ?"
                + " group by currency", tenant.id(), from, to))
            out.put(r.get(0, String.class), r.get(1, Long.class));
        return out;
    }

    /** The same totals by one aggregate scan of the payments of {@code months}. */
    Map<String, long[]> scan(Tenant tenant, MonthBuckets months) {
        DSLContext dsl = db.dsl();
        Object[] args = new Object[2 + 2 * months.months().size()];
        int i = 0;
        for (Object a : months.sumArgs()) args[i++] = a;
        args[i++] = tenant.id();
        args[i] = months.from();
        Map<String, long[]> out = new TreeMap<>();
        for (Record r : dsl.fetch("select currency, " + months.sumColumns("created_at", "amount")
                + " from payments where tenant_id = ? and created_at >= ? group by currency", args)) {
            long[] sums = new long[months.months().size()];
            for (int m = 0; m < sums.length; m++) sums[m] = r.get(m + 1, Long.class);
            out.put(r.get(0, String.class), sums);
        }
        return out;
    }
}
