package tollgate.licensing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tollgate.core.Database;
import tollgate.core.MonthBuckets;
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

    public LicenseFigures(Database db) {
        this.db = db;
    }

    /** Currency → licenses' MRR at the end of each month of {@code months}, minor units; settled months from memory (decision 050). */
    public Map<String, long[]> mrr(Tenant tenant, MonthBuckets months) {
        return settled.monthly(tenant.id(), months, m -> scan(tenant, m));
    }

    /** The same figures by one aggregate scan of the tenant's licenses. */
    Map<String, long[]> scan(Tenant tenant, MonthBuckets months) {
        List<Object> args = new ArrayList<>(months.atEndArgs(LIVE));
        args.add(tenant.id());
        args.add(months.asOf());
        return MonthBuckets.monthly(db.dsl().fetch("select p.currency, p.billing_interval, " + months.atEndColumns(LIVE, "p.amount")
                + " from licenses l join plans p on p.id = l.plan_id where l.tenant_id = ? and l.issued_at < ?"
                + " group by p.currency, p.billing_interval", args.toArray()), months.months().size());
    }
}
