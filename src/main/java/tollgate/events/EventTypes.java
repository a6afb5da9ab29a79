package tollgate.events;

import java.util.Set;

/**
 * Every event type the capabilities record (SPEC §8 and more): the names a webhook endpoint may subscribe to.
 * {@code "*"} subscribes to all of them and to any added later. {@link #TEST} is only ever sent to the endpoint that
 * asked for it. {@link EventLog} checks each type it records against this list when assertions are on (the tests), so
 * a new type cannot be forgotten here.
 */
public final class EventTypes {
    public static final String ALL = "*";
    public static final String TEST = "webhook_endpoint.test";
    public static final String ENDPOINT_DISABLED = "webhook_endpoint.disabled";

    public static final Set<String> KNOWN = Set.of(
            "account.created", "account.licenses_blocked", "account.licenses_unblocked", "account.services_suspended",
            "account.services_restored", "account.services_canceled", "account.data_deletion_scheduled",
            "account.backups_purged", "account.dunning_ended", "account.dunning_paused", "account.updated",
            "api_key.created", "api_key.revoked", "balance_transaction.created", "charge.refunded", "credit_note.voided",
            "dunning.step_run", "invoice.created", "invoice.deleted", "invoice.marked_uncollectible",
            "invoice_item.created", "invoice_item.deleted", "license.updated", "plan.updated",
            "refund.created", "refund.failed", "refund.unresolved",
            "bundle.issued", "bundle.revoked",
            "coupon.created", "credit_note.created", "dunning_policy.created", "plan.created",
            "invoice.issued", "invoice.paid", "invoice.payment_failed", "invoice.past_due", "invoice.updated",
            "invoice.voided", "invoice.overpaid",
            "license.issued", "license.assigned", "license.unassigned", "license.revoked",
            "notification.created", "notification.failed",
            "payment_attempt.unknown", "payment_attempt.unresolved",
            "payment_method.attached", "payment_method.detached", "payment_method.updated",
            "subscription.created", "subscription.updated", "subscription.canceled",
            "tenant.updated", "timeline.job_dead",
            ENDPOINT_DISABLED, TEST);

    private EventTypes() {}

    /** Whether {@code type} is one of {@link #KNOWN}, or a test's own ({@code test.…}, recorded by the tests' jobs only). */
    static boolean known(String type) {
        return KNOWN.contains(type) || type.startsWith("test.");
    }

    /** Whether an endpoint subscribed to {@code enabled} receives an event of {@code type}. */
    public static boolean matches(java.util.List<String> enabled, String type) {
        if (TEST.equals(type)) return false;
        for (String e : enabled) if (e.equals(ALL) || e.equals(type)) return true;
        return false;
    }
}
