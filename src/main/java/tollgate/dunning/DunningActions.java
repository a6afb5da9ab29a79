package tollgate.dunning;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import tollgate.accounts.Accounts;
import tollgate.invoicing.Invoice;
import tollgate.licensing.Licensing;
import tollgate.notify.Notifications;
import tollgate.payments.PaymentAttempt;
import tollgate.payments.Payments;
import tollgate.subscriptions.Subscriptions;
import tollgate.tenants.Tenant;
import tollgate.timeline.Timeline;

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

    /** {@code policies}: those the step comes from; {@code index}: its place in the invoice's merged steps. */
    String run(DSLContext tx, Tenant tenant, Invoice invoice, List<String> policies, int index, DunningStep step, Instant now) {
        String account = invoice.account();
        switch (step.action()) {
            case RETRY_PAYMENT -> {
                return switch (payments.chargeRound(tx, tenant, invoice.id(), PaymentAttempt.Reason.RETRY, null, now).outcome()) {
                    case PAID, NOTHING_DUE -> "payment_succeeded";
                    case PARTLY_PAID, FAILED -> "payment_failed";
                    case NO_METHOD -> "no_payment_method";
                    case UNDECIDED -> "payment_undecided";
                };
            }
            case NOTIFY -> {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("invoice_number", invoice.number());
                data.put("amount_due", invoice.amountDue());
                data.put("currency", invoice.currency());
                data.put("attempt_count", invoice.attemptCount());
                data.put("policy", policies.getFirst());
                data.put("policies", policies);
                data.put("step", index);
                notifications.enqueue(tx, tenant, account, step.template(), invoice.id(), data, now);
            }
            case BLOCK_NEW_LICENSES -> accounts.setLicensesBlocked(tx, tenant, account, true, now);
            case REVOKE_ALL_LICENSES -> {
                // "It must pay the past-due invoice before issuing again": revoked and blocked until paid.
                accounts.setLicensesBlocked(tx, tenant, account, true, now);
                licensing.revokeAll(tx, tenant, account, now);
            }
            case SUSPEND_SERVICES -> {
                // Canceled services stay canceled: only a new subscription brings them back (Dunning.admitSignup).
                if (!"canceled".equals(accounts.standing(tx, tenant, account).services()))
                    accounts.setServices(tx, tenant, account, "suspended", now);
                subscriptions.suspendAll(tx, tenant, account, now);
            }
            case CANCEL_SERVICES -> {
                accounts.setServices(tx, tenant, account, "canceled", now);
                subscriptions.cancelAll(tx, tenant, account, now);
            }
            case SCHEDULE_DATA_DELETION -> {
                // Deleted once: a later invoice's dunning does not move the first deletion's backup purge.
                if (accounts.standing(tx, tenant, account).dataDeletedAt() != null) return "done";
                int days = step.backupRetentionDays() == null ? 0 : step.backupRetentionDays();
                Instant purge = accounts.scheduleDataDeletion(tx, tenant, account, days, now);
                timeline.schedule(tx, tenant.id(), purge, PURGE_JOB, account, now);
            }
        }
        return "done";
    }
}
