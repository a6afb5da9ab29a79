package tollgate.webhooks;

import java.util.Set;

/**
 * The event types an endpoint may subscribe to by name (SPEC §8 and what the capabilities record). {@code "*"}
 * subscribes to all of them and to any added later. {@link #TEST} is only ever sent to the endpoint that asked for it.
 */
public final class EventTypes {
    public static final String ALL = "*";
    public static final String TEST = "webhook_endpoint.test";
    public static final String ENDPOINT_DISABLED = "webhook_endpoint.disabled";

    public static final Set<String> KNOWN = Set.of(
            "account.created", "account.licenses_blocked", "account.licenses_unblocked", "account.services_suspended",
            "account.services_restored", "account.services_canceled", "account.data_deletion_scheduled",
            "account.backups_purged", "account.dunning_ended",
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

    /** Whether an endpoint subscribed to {@code enabled} receives an event of {@code type}. */
    public static boolean matches(java.util.List<String> enabled, String type) {
        if (TEST.equals(type)) return false;
        for (String e : enabled) if (e.equals(ALL) || e.equals(type)) return true;
        return false;
    }
}
