package tollgate.subscriptions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import tollgate.core.Database;
import tollgate.core.MonthBuckets;
import tollgate.tenants.Tenant;

/**
 * MRR and churn of subscriptions (issue 14 point 2, decision 046), by aggregate SQL. A month's MRR is what the flat
 * and seats subscriptions live when it ended (created before, not canceled by then, out of trial) bill for a month:
 * the plan's amount, plus the seats above those included at the seat price; a yearly plan counts a twelfth. Usage
 * plans have no recurring price and are left out. Seats are today's count (no history of seat changes is kept).
 */
public final class SubscriptionFigures {
    static final String LIVE = "s.created_at < ? and (s.canceled_at is null or s.canceled_at > ?) and (s.trial_end is null or s.trial_end <= ?)";
    static final String MONTHLY = "case when p.type = 'seats' then p.amount + greatest(0, coalesce(s.seats, 0) - coalesce(p.included_seats, 0)) "
            + "* coalesce(p.seat_amount, 0) else p.amount end";
    private final Database db;

    public SubscriptionFigures(Database db) {
        this.db = db;
    }

    /** Currency → MRR at the end of each month of {@code months} (the last at its {@code asOf}), minor units. */
    public Map<String, long[]> mrr(Tenant tenant, MonthBuckets months) {
        List<Object> args = new ArrayList<>(months.atEndArgs(LIVE));
        args.add(tenant.id());
        args.add(months.end(months.months().size() - 1));
        return MonthBuckets.monthly(db.dsl().fetch("select p.currency, p.billing_interval, " + months.atEndColumns(LIVE, MONTHLY)
                + " from subscriptions s join plans p on p.id = s.plan_id where s.tenant_id = ? and p.type in ('flat', 'seats')"
                + " and s.created_at < ? group by p.currency, p.billing_interval", args.toArray()), months.months().size());
    }

    /** Subscriptions canceled from {@code from} up to and including {@code to}. */
    public int canceled(Tenant tenant, Instant from, Instant to) {
        DSLContext dsl = db.dsl();
        return dsl.fetchOne("select count(*) from subscriptions where tenant_id = ? and canceled_at >= ? and canceled_at <= ?",
                tenant.id(), from, to).get(0, Integer.class);
    }
}
