package tollgate.dunning;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.Record;

/** SQL for dunning: the past-due state of invoices, and the steps each has gone through. */
public final class DunningStore {
    /** An open invoice in dunning: since when, under which policy, and what it still owes. */
    public record PastDue(String invoice, String account, String currency, long amountDue, Instant pastDueAt, String policy) {}

    /** A step that ran. */
    public record StepRun(String invoice, String policy, int step, int afterDays, String action, String template,
                          Instant dueAt, Instant ranAt, String outcome) {}

    private static final String PAST_DUE = "select id, account_id, currency, amount_due, past_due_at, dunning_policy from invoices ";

    /** Marks the invoice past due under {@code policy}; false when it already was. */
    public boolean markPastDue(DSLContext tx, String tenantId, String invoiceId, Instant at, String policy) {
        return tx.execute("update invoices set past_due_at = ?, dunning_policy = ? where tenant_id = ? and id = ? and past_due_at is null",
                at, policy, tenantId, invoiceId) == 1;
    }

    /** The invoice's dunning state, whatever its status now; empty when it never became past due. */
    public Optional<PastDue> ofInvoice(DSLContext db, String tenantId, String invoiceId) {
        return db.fetchOptional(PAST_DUE + "where tenant_id = ? and id = ? and past_due_at is not null", tenantId, invoiceId)
                .map(DunningStore::pastDue);
    }

    /** The account's open invoices in dunning, oldest first. */
    public List<PastDue> openOfAccount(DSLContext db, String tenantId, String accountId) {
        return db.fetch(PAST_DUE + "where tenant_id = ? and account_id = ? and status = 'open' and past_due_at is not null "
                + "order by past_due_at, id", tenantId, accountId).map(DunningStore::pastDue);
    }

    public void insertStep(DSLContext tx, String tenantId, String accountId, StepRun s) {
        tx.execute("insert into dunning_steps (tenant_id, account_id, invoice_id, policy, step, after_days, action, template, "
                        + "due_at, ran_at, outcome) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                tenantId, accountId, s.invoice(), s.policy(), s.step(), s.afterDays(), s.action(), s.template(), s.dueAt(),
                s.ranAt(), s.outcome());
    }

    /** The steps that ran for the account's invoices, in the order they ran. */
    public List<StepRun> stepsOfAccount(DSLContext db, String tenantId, String accountId) {
        return db.fetch("select invoice_id, policy, step, after_days, action, template, due_at, ran_at, outcome from dunning_steps "
                + "where tenant_id = ? and account_id = ? order by id", tenantId, accountId).map(DunningStore::stepRun);
    }

    /** Which steps of the invoice's policy have run. */
    public Set<Integer> stepsRun(DSLContext db, String tenantId, String invoiceId) {
        return new HashSet<>(db.fetch("select step from dunning_steps where tenant_id = ? and invoice_id = ?", tenantId, invoiceId)
                .getValues(0, Integer.class));
    }

    private static PastDue pastDue(Record r) {
        return new PastDue(r.get("id", String.class), r.get("account_id", String.class), r.get("currency", String.class),
                r.get("amount_due", Long.class), r.get("past_due_at", Instant.class), r.get("dunning_policy", String.class));
    }

    private static StepRun stepRun(Record r) {
        return new StepRun(r.get("invoice_id", String.class), r.get("policy", String.class), r.get("step", Integer.class),
                r.get("after_days", Integer.class), r.get("action", String.class), r.get("template", String.class),
                r.get("due_at", Instant.class), r.get("ran_at", Instant.class), r.get("outcome", String.class));
    }
}
