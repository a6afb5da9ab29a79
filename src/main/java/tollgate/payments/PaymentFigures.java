package tollgate.payments;

import java.util.Map;
import java.util.TreeMap;
import org.jooq.DSLContext;
import org.jooq.Record;
import tollgate.core.Database;
import tollgate.core.MonthBuckets;
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

    public PaymentFigures(Database db) {
        this.db = db;
    }

    /** Currency → one total per month of {@code months}, in order; months settled a while ago from memory (decision 050). */
    public Map<String, long[]> collected(Tenant tenant, MonthBuckets months) {
        return settled.monthly(tenant.id(), months, m -> scan(tenant, m));
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
