package tollgate.dunning;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import tollgate.accounts.Accounts;
import tollgate.accounts.Standing;
import tollgate.invoicing.Invoice;
import tollgate.licensing.Licensing;
import tollgate.notify.Notifications;
import tollgate.payments.PaymentAttempt;
import tollgate.payments.Payments;
import tollgate.subscriptions.Subscriptions;
import tollgate.tenants.Tenant;
import tollgate.timeline.Timeline;
import tollgate.tenants.Ctx;

/**
 * What each dunning action does to an account, in the step's transaction. Answers the step's outcome as recorded:
 * {@code done}, or for a retry how the round ended ({@code payment_succeeded}, {@code payment_failed},
 * {@code payment_undecided}, {@code no_payment_method}).
 */
public final class DunningActions {
    static final String PURGE_JOB = "account.purge_backups";

    private final Payments payments;
    private final Accounts accounts;
    private final Subscriptions subscriptions;
    private final Licensing licensing;
    private final Notifications notifications;
    private final Timeline timeline;

    public DunningActions(Payments payments, Accounts accounts, Subscriptions subscriptions, Licensing licensing,
                   Notifications notifications, Timeline timeline) {
        this.payments = payments;
        this.accounts = accounts;
        this.subscriptions = subscriptions;
        this.licensing = licensing;
        this.notifications = notifications;
        this.timeline = timeline;
    }

    /** What an account's owner is told when a step acts on the account (none for retries and notify steps). */
    private static final java.util.Map<DunningAction, String> TOLD = java.util.Map.of(
            DunningAction.BLOCK_NEW_LICENSES, "licenses_blocked",
            DunningAction.REVOKE_ALL_LICENSES, "licenses_revoked",
            DunningAction.SUSPEND_SERVICES, "services_suspended",
            DunningAction.CANCEL_SERVICES, "services_canceled",
            DunningAction.SCHEDULE_DATA_DELETION, "data_deletion_scheduled");

    /** A step's recorded outcome and its invoice as the step left it (a retry may have paid it or counted a round). */
    record Ran(String outcome, Invoice invoice) {}

    /**
     * Runs step {@code index} of {@code schedule} (the invoice's policy, dated from when it became past due) on the
     * invoice the caller locked; a step that acts on the account also queues the email that tells its owner, with what
     * comes next and when.
     */
    Ran run(Ctx ctx, Invoice invoice, List<String> policies, int index, List<DunningSchedule.Dated> schedule) {
        DunningStep step = schedule.get(index).step();
        if (step.action() == DunningAction.RETRY_PAYMENT) return retry(ctx, invoice);
        String told = TOLD.get(step.action());
        Standing before = told == null ? null : accounts.standing(ctx, invoice.account());
        String outcome = act(ctx, invoice, policies, index, schedule, step);
        if (told != null) {
            // Told only of a change: a second invoice's block or suspension of an account already blocked says nothing new.
            Standing after = accounts.standing(ctx, invoice.account());
            boolean changed = switch (step.action()) {
                case BLOCK_NEW_LICENSES -> !before.licensesBlocked();
                case SUSPEND_SERVICES -> "active".equals(before.services()) && "suspended".equals(after.services());
                case CANCEL_SERVICES -> !"canceled".equals(before.services());
                case SCHEDULE_DATA_DELETION -> before.dataDeletedAt() == null && after.dataDeletedAt() != null;
                default -> true;
            };
            if (!changed) return new Ran(outcome, invoice);
            Map<String, Object> data = facts(ctx, invoice, policies, index, schedule);
            if (step.action() == DunningAction.SCHEDULE_DATA_DELETION) {
                data.put("data_deleted_at", after.dataDeletedAt().toString());
                data.put("backups_purge_at", after.backupsPurgeAt().toString());
            }
            data.put(switch (step.action()) {
                case REVOKE_ALL_LICENSES -> "revoked_at";
                case SUSPEND_SERVICES -> "suspended_at";
                case CANCEL_SERVICES -> "canceled_at";
                default -> "happened_at";
            }, ctx.now().toString());
            notifications.enqueue(ctx, invoice.account(), told, invoice.id(), data);
        }
        return new Ran(outcome, invoice);
    }

    /** A payment round on the invoice the step holds locked; the round answers the invoice as it left it. */
    private Ran retry(Ctx ctx, Invoice invoice) {
        Payments.Round round = payments.paymentRound(ctx, invoice, PaymentAttempt.Reason.RETRY, null);
        return new Ran(switch (round.outcome()) {
            case PAID, NOTHING_DUE -> "payment_succeeded";
            case PARTLY_PAID, FAILED -> "payment_failed";
            case NO_METHOD -> "no_payment_method";
            case UNDECIDED -> "payment_undecided";
        }, round.invoice());
    }

    /** The consequences an email warns of: what happens to the account, not retries or emails. */
    private static final java.util.Set<DunningAction> CONSEQUENCES = java.util.EnumSet.of(DunningAction.BLOCK_NEW_LICENSES,
            DunningAction.REVOKE_ALL_LICENSES, DunningAction.SUSPEND_SERVICES, DunningAction.CANCEL_SERVICES,
            DunningAction.SCHEDULE_DATA_DELETION);

    /**
     * What the emails of dunning say, read from the invoice's dated policy: the attempt it is on and how many the policy
     * makes, why the last one failed, the date of the next attempt, and the next thing that happens to the account
     * after now and its date ("On March 12 your services will be suspended").
     */
    private Map<String, Object> facts(Ctx ctx, Invoice invoice, List<String> policies, int index,
                                      List<DunningSchedule.Dated> schedule) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("invoice_number", invoice.number());
        data.put("amount_due", invoice.amountDue());
        data.put("currency", invoice.currency());
        data.put("attempt_count", invoice.attemptCount());
        data.put("policy", policies.getFirst());
        data.put("policies", policies);
        data.put("step", index);
        data.put("attempt", Math.max(invoice.attemptCount(), 1));
        data.put("attempts_total", 1 + schedule.stream().filter(d -> d.step().action() == DunningAction.RETRY_PAYMENT).count());
        String reason = payments.lastDeclineReason(ctx, invoice.id());
        data.put("decline_reason", reason != null ? reason : invoice.attemptCount() == 0 ? "no_payment_method" : "other");
        DunningSchedule.Dated nextAttempt = null;
        DunningSchedule.Dated then = null;
        for (DunningSchedule.Dated d : schedule) {
            if (d.index() <= index) continue;
            if (nextAttempt == null && d.step().action() == DunningAction.RETRY_PAYMENT) nextAttempt = d;
            if (then == null && CONSEQUENCES.contains(d.step().action()) && d.dueAt().isAfter(ctx.now())) then = d;
        }
        data.put("next_attempt_at", nextAttempt == null ? null : nextAttempt.dueAt().toString());
        data.put("then_action", then == null ? null : then.step().action().wire());
        data.put("then_at", then == null ? null : then.dueAt().toString());
        return data;
    }

    private String act(Ctx ctx, Invoice invoice, List<String> policies, int index,
                       List<DunningSchedule.Dated> schedule, DunningStep step) {
        String account = invoice.account();
        switch (step.action()) {
            case RETRY_PAYMENT -> throw new IllegalStateException("retries run in retry()");
            case NOTIFY -> notifications.enqueue(ctx, account, step.template(), invoice.id(),
                    facts(ctx, invoice, policies, index, schedule));
            case BLOCK_NEW_LICENSES -> accounts.setLicensesBlocked(ctx, account, true);
            case REVOKE_ALL_LICENSES -> {
                // "It must pay the past-due invoice before issuing again": revoked and blocked until paid.
                accounts.setLicensesBlocked(ctx, account, true);
                licensing.revokeAll(ctx, account);
            }
            case SUSPEND_SERVICES -> {
                // Canceled services stay canceled: only a new subscription brings them back (Dunning.admitSignup).
                if (!"canceled".equals(accounts.standing(ctx, account).services()))
                    accounts.setServices(ctx, account, "suspended");
                subscriptions.suspendAll(ctx, account);
            }
            case CANCEL_SERVICES -> {
                accounts.setServices(ctx, account, "canceled");
                subscriptions.cancelAll(ctx, account);
            }
            case SCHEDULE_DATA_DELETION -> {
                // Deleted once: a later invoice's dunning does not move the first deletion's backup purge.
                if (accounts.standing(ctx, account).dataDeletedAt() != null) return "done";
                int days = step.backupRetentionDays() == null ? 0 : step.backupRetentionDays();
                Instant purge = accounts.scheduleDataDeletion(ctx, account, days);
                timeline.schedule(ctx.tx(), ctx.tenantId(), purge, BackupPurgeRef.KIND, new BackupPurgeRef(account), ctx.now());
            }
        }
        return "done";
    }

    /** Queues {@code template} about the account, outside any step (backups purged, services restored). */
    void tell(Ctx ctx, String account, String template, Map<String, Object> data) {
        notifications.enqueue(ctx, account, template, null, new LinkedHashMap<>(data));
    }
}
