package tollgate.dunning;

import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Record;
import tollgate.core.Database;
import tollgate.tenants.Tenant;

/**
 * Accounts in dunning by their current step (issue 14 points 2 and 4, decision 046), by aggregate SQL: an account is in
 * dunning while it has an open past-due invoice; its current step is the last one that ran on those invoices
 * (none yet: "past due"). Also the accounts of one step, for the dunning board.
 */
public final class DunningFigures {
    /** A step of a policy as run (its day after the invoice became past due and its action), and how many accounts are at it. */
    public record AtStep(Integer afterDays, String action, int accounts) {}

    /** An account in dunning and the step it is at (null: none ran yet). */
    public record InDunning(String accountId, Integer afterDays, String action) {}

    /**
     * The last step run per account in dunning (one row per account: the step with the highest id among those run on the
     * account's open past-due invoices). One pass over those steps numbered per account (decision 050); a correlated
     * "max(id) of the account's steps" per step read each account's steps once per step it had.
     */
    private static final String LAST_STEP = "select account_id, after_days, action from (select ds.account_id, ds.after_days, ds.action, "
            + "row_number() over (partition by ds.account_id order by ds.id desc) as newest from dunning_steps ds join invoices i "
            + "on i.id = ds.invoice_id where ds.tenant_id = ? and i.tenant_id = ? and i.status = 'open' and i.past_due_at is not null) steps "
            + "where newest = 1";
    private final Database db;

    public DunningFigures(Database db) {
        this.db = db;
    }

    /** Steps in order of their day, "past due, no step yet" first (afterDays and action null). */
    public List<AtStep> byStep(Tenant tenant) {
        DSLContext dsl = db.dsl();
        int total = dsl.fetchOne("select count(distinct account_id) from invoices where tenant_id = ? and status = 'open' "
                + "and past_due_at is not null", tenant.id()).get(0, Integer.class);
        List<AtStep> steps = new ArrayList<>();
        int atSteps = 0;
        for (Record r : dsl.fetch("select after_days, action, count(*) from (" + LAST_STEP + ") last group by after_days, action "
                + "order by after_days, action", tenant.id(), tenant.id())) {
            int n = r.get(2, Integer.class);
            atSteps += n;
            steps.add(new AtStep(r.get(0, Integer.class), r.get(1, String.class), n));
        }
        if (total > atSteps) steps.add(0, new AtStep(null, null, total - atSteps));
        return steps;
    }

    /** Accounts in dunning with their current step, by account id, at most {@code limit}. */
    public List<InDunning> accounts(Tenant tenant, int limit) {
        DSLContext dsl = db.dsl();
        List<InDunning> out = new ArrayList<>();
        for (Record r : dsl.fetch("select a.account_id, last.after_days, last.action from (select distinct account_id from invoices "
                + "where tenant_id = ? and status = 'open' and past_due_at is not null) a left join (" + LAST_STEP + ") last "
                + "on last.account_id = a.account_id order by a.account_id limit ?", tenant.id(), tenant.id(), tenant.id(), limit))
            out.add(new InDunning(r.get(0, String.class), r.get(1, Integer.class), r.get(2, String.class)));
        return out;
    }
}
