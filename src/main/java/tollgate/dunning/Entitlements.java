package tollgate.dunning;

import java.time.Instant;
import java.util.List;

/**
 * What an account may do now (SPEC §6), for the seller's platform to act on: issue licenses or not, the state of its
 * services, what it owes past due, the next dunning step with its date, and the data deletion dunning scheduled. The
 * API writes it as api's {@code DunningJson.EntitlementsJson}.
 */
public record Entitlements(String account, boolean canIssueLicenses, String services, long pastDueAmount,
                           String currency, List<String> pastDueInvoices, UpcomingStep nextDunningStep,
                           DataDeletion dataDeletion) {
    /**
     * A step still to come: what happens on {@code dueAt} if the invoice stays unpaid. {@code policies}: every policy
     * the step comes from (an invoice with several plans runs the union of their policies); {@code policy} is the
     * first of them.
     */
    public record UpcomingStep(String invoice, String policy, int step, int afterDays, String action, String template,
                               Integer backupRetentionDays, Instant dueAt, List<String> policies) {
        public UpcomingStep(String invoice, String policy, int step, int afterDays, String action, String template,
                            Integer backupRetentionDays, Instant dueAt) {
            this(invoice, policy, step, afterDays, action, template, backupRetentionDays, dueAt, List.of(policy));
        }
    }

    /** {@code backups}: {@code restorable} (not downloadable) until {@code backupsPurgeAt}, then {@code purged}. */
    public record DataDeletion(Instant dataDeletedAt, Instant backupsPurgeAt, String backups) {}
}
