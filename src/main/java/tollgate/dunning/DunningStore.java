package tollgate.dunning;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.Record;
import tollgate.core.Json;

/** SQL for dunning: the past-due state of invoices, and the steps each has gone through. */
public final class DunningStore {
    /**
     * An open invoice in dunning: since when, what it still owes, its first policy and the merged steps it runs
     * ({@code steps} null when it became past due before invoices ran merged steps: {@code policy} alone then).
     */
    public record PastDue(String invoice, String account, String currency, long amountDue, Instant pastDueAt, String policy,
                          MergedPolicy steps) {}

    /** The stored shape of an invoice's merged steps, apart from the API's; actions by their API names. */
    record StoredMerged(List<String> policies, List<StoredStep> steps) {}

    record StoredStep(int afterDays, String action, String template, Integer backupRetentionDays, List<String> policies) {}


    private static final String PAST_DUE = "select id, account_id, currency, amount_due, past_due_at, dunning_policy, dunning_steps "
            + "from invoices ";

    /** The invoice's dunning state, whatever its status now; empty when it never became past due. */
    public Optional<PastDue> ofInvoice(DSLContext db, String tenantId, String invoiceId) {
        return db.fetchOptional(PAST_DUE + "where tenant_id = ? and id = ? and past_due_at is not null", tenantId, invoiceId)
                .map(DunningStore::pastDue);
    }

    /** Which of {@code invoiceIds} ever became past due (one query for a batch of paid invoices). */
    public Set<String> pastDueAmong(DSLContext db, String tenantId, List<String> invoiceIds) {
        Set<String> found = new HashSet<>();
        if (invoiceIds.isEmpty()) return found;
        for (Record r : db.fetch("select id from invoices where tenant_id = ? and id in (" + tollgate.core.Sql.placeholders(invoiceIds.size())
                + ") and past_due_at is not null", tollgate.core.Sql.args(invoiceIds, tenantId))) found.add(r.get(0, String.class));
        return found;
    }

    /** The account's open invoices in dunning, oldest first. */
    public List<PastDue> openOfAccount(DSLContext db, String tenantId, String accountId) {
        return db.fetch(PAST_DUE + "where tenant_id = ? and account_id = ? and status = 'open' and past_due_at is not null "
                + "order by past_due_at, id", tenantId, accountId).map(DunningStore::pastDue);
    }

    public void insertStep(DSLContext tx, String tenantId, String accountId, StepRun s) {
        tx.execute("insert into dunning_steps (tenant_id, account_id, invoice_id, policy, step, after_days, action, template, "
                        + "due_at, ran_at, outcome, policies) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                tenantId, accountId, s.invoice(), s.policy(), s.step(), s.afterDays(), s.action(), s.template(), s.dueAt(),
                s.ranAt(), s.outcome(), Json.write(s.policies()));
    }

    /** The steps that ran for the account's invoices, in the order they ran. */
    public List<StepRun> stepsOfAccount(DSLContext db, String tenantId, String accountId) {
        return db.fetch("select invoice_id, policy, step, after_days, action, template, due_at, ran_at, outcome, policies "
                + "from dunning_steps where tenant_id = ? and account_id = ? order by id", tenantId, accountId)
                .map(DunningStore::stepRun);
    }

    /** Which steps of the invoice's dunning have run. */
    public Set<Integer> stepsRun(DSLContext db, String tenantId, String invoiceId) {
        return new HashSet<>(db.fetch("select step from dunning_steps where tenant_id = ? and invoice_id = ?", tenantId, invoiceId)
                .getValues(0, Integer.class));
    }

    /** The account's dunning pauses (grace), oldest first; lifted ones too (they still hold older invoices). */
    public List<DunningPause> pausesOfAccount(DSLContext db, String tenantId, String accountId) {
        return db.fetch("select paused_at, resume_on, lifted_at from dunning_pauses where tenant_id = ? and account_id = ? "
                + "order by id", tenantId, accountId).map(r -> new DunningPause(r.get("paused_at", Instant.class),
                r.get("resume_on", java.time.LocalDate.class), r.get("lifted_at", Instant.class)));
    }

    public void insertPause(DSLContext tx, String tenantId, String accountId, DunningPause pause) {
        tx.execute("insert into dunning_pauses (tenant_id, account_id, paused_at, resume_on) values (?, ?, ?, ?)",
                tenantId, accountId, pause.pausedAt(), pause.resumeOn());
    }

    /** Lifts the account's standing pauses (its dunning ended); answers how many. */
    public int liftPauses(DSLContext tx, String tenantId, String accountId, Instant at) {
        return tx.execute("update dunning_pauses set lifted_at = ? where tenant_id = ? and account_id = ? and lifted_at is null",
                at, tenantId, accountId);
    }

    /** The merged steps as kept on the invoice (invoicing writes them: {@code Receivables.markPastDue}). */
    static String write(MergedPolicy merged) {
        return Json.write(new StoredMerged(merged.policies(), merged.steps().stream()
                .map(s -> new StoredStep(s.step().afterDays(), s.step().action().wire(), s.step().template(),
                        s.step().backupRetentionDays(), s.policies()))
                .toList()));
    }

    private static MergedPolicy merged(String json) {
        if (json == null) return null;
        StoredMerged stored = Json.read(json, StoredMerged.class, UNREADABLE);
        return new MergedPolicy(stored.policies(), stored.steps().stream()
                .map(s -> new MergedPolicy.Step(new DunningStep(s.afterDays(), DunningAction.parse(s.action()).orElseThrow(
                        () -> new IllegalStateException("stored dunning step has an unknown action: " + s.action())),
                        s.template(), s.backupRetentionDays()), s.policies()))
                .toList());
    }

    private static final String UNREADABLE = "stored dunning steps are not JSON";

    private static PastDue pastDue(Record r) {
        return new PastDue(r.get("id", String.class), r.get("account_id", String.class), r.get("currency", String.class),
                r.get("amount_due", Long.class), r.get("past_due_at", Instant.class), r.get("dunning_policy", String.class),
                merged(r.get("dunning_steps", String.class)));
    }

    private static StepRun stepRun(Record r) {
        String policy = r.get("policy", String.class);
        String policies = r.get("policies", String.class);
        return new StepRun(r.get("invoice_id", String.class), policy, r.get("step", Integer.class),
                r.get("after_days", Integer.class), r.get("action", String.class), r.get("template", String.class),
                r.get("due_at", Instant.class), r.get("ran_at", Instant.class), r.get("outcome", String.class),
                policies == null ? List.of(policy) : Json.readList(policies, String.class, UNREADABLE));
    }
}
