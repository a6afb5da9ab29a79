package tollgate.licensing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jooq.Record;
import tollgate.core.Database;
import tollgate.core.MonthBuckets;
import tollgate.core.RunningSums;
import tollgate.core.SettledMonths;
import tollgate.tenants.Tenant;

/**
 * Licenses' MRR (issue 14 point 2, decision 046): the licenses live when each month ended (issued before, not revoked
 * by then) times their plan's price for a month (a yearly plan counts a twelfth), per currency, by aggregate SQL.
 */
public final class LicenseFigures {
    static final String LIVE = "l.issued_at < ? and (l.revoked_at is null or l.revoked_at > ?)";
    private final Database db;
    /** Licenses are issued and revoked at the tenant's clock, and neither is undone: a month long over keeps its MRR. */
    private final SettledMonths settled = new SettledMonths();
    /** Prices of the licenses issued, and of those revoked, up to an hour ago, kept; a view reads the last hour's. */
    private final RunningSums running = new RunningSums();

    public LicenseFigures(Database db) {
        this.db = db;
    }

    /** Currency → licenses' MRR at the end of each month of {@code months}, minor units; settled months from memory (decision 050). */
    public Map<String, long[]> mrr(Tenant tenant, MonthBuckets months) {
        return settled.monthly(tenant.id(), months, m -> scan(tenant, m), m -> open(tenant, m));
    }

    /**
     * The months still open: a month's licenses' MRR at its end is what every license issued before then adds less
     * what those revoked by then take away, both running sums (the settled part kept, the last hour read). A license
     * revoked at the instant it was issued was never live and is in neither.
     */
    Map<String, long[]> open(Tenant tenant, MonthBuckets months) {
        int n = months.months().size();
        Map<String, long[]> monthSums = new TreeMap<>();
        Map<String, long[]> yearSums = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            int m = i;
            Instant end = months.end(i);
            Map<String, Long> issued = running.sum(tenant.id(), "issued", null, months.asOf(), end, (a, b) -> priced(tenant, "issued_at", a, b, false));
            Map<String, Long> revoked = running.sum(tenant.id(), "revoked", null, months.asOf(), end, (a, b) -> priced(tenant, "revoked_at", a, b, true));
            issued.forEach((key, v) -> {
                int slash = key.indexOf('/');
                Map<String, long[]> into = key.substring(slash + 1).equals("year") ? yearSums : monthSums;
                into.computeIfAbsent(key.substring(0, slash), c -> new long[n])[m] += v - revoked.getOrDefault(key, 0L);
            });
        }
        return MonthBuckets.monthly(monthSums, yearSums);
    }

    /**
     * "currency/interval" → the plans' prices of the licenses whose {@code column} falls in the stretch: from
     * {@code from} (inclusive) to {@code to} (exclusive), or, {@code endInclusive}, after {@code from} up to and
     * including {@code to} (a license revoked at a month's end is no longer live then); {@code from == null}: from
     * the first.
     */
    private Map<String, Long> priced(Tenant tenant, String column, Instant from, Instant to, boolean endInclusive) {
        List<Object> args = new ArrayList<>(List.of(tenant.id()));
        String where = "l.tenant_id = ? and (l.revoked_at is null or l.revoked_at <> l.issued_at)";
        if (from != null) {
            where += " and l." + column + (endInclusive ? " > ?" : " >= ?");
            args.add(from);
        }
        where += " and l." + column + (endInclusive ? " <= ?" : " < ?");
        args.add(to);
        Map<String, Long> out = new TreeMap<>();
        for (Record r : db.dsl().fetch("select p.currency, p.billing_interval, sum(p.amount) from licenses l join plans p on p.id = l.plan_id where "
                + where + " group by p.currency, p.billing_interval", args.toArray()))
            out.put(r.get(0, String.class) + "/" + r.get(1, String.class), r.get(2, Long.class));
        return out;
    }

    /** The same figures by one aggregate scan of the tenant's licenses. */
    Map<String, long[]> scan(Tenant tenant, MonthBuckets months) {
        List<Object> args = new ArrayList<>(months.atEndArgs(LIVE));
        args.add(tenant.id());
        args.add(months.end(months.months().size() - 1));
        return MonthBuckets.monthly(db.dsl().fetch("select p.currency, p.billing_interval, " + months.atEndColumns(LIVE, "p.amount")
                + " from licenses l join plans p on p.id = l.plan_id where l.tenant_id = ? and l.issued_at < ?"
                + " group by p.currency, p.billing_interval", args.toArray()), months.months().size());
    }
}
