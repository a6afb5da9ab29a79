package tollgate.dunning;

import static tollgate.dunning.DunningAction.BLOCK_NEW_LICENSES;
import static tollgate.dunning.DunningAction.CANCEL_SERVICES;
import static tollgate.dunning.DunningAction.RETRY_PAYMENT;
import static tollgate.dunning.DunningAction.REVOKE_ALL_LICENSES;
import static tollgate.dunning.DunningAction.SUSPEND_SERVICES;

import java.util.List;
import java.util.Optional;

/**
 * The two policies every tenant has (SPEC §6), step for step as the reference documents tell them. Day 0 is the
 * moment the invoice became past due: its first failed payment round (the charge at issue), or its issue when no
 * method could be charged. A step whose invoice has been paid in the meantime does nothing, so "attempt 2 fails →
 * email 2" is the retry followed by the notify step of the same day.
 */
public final class BuiltInPolicies {
    public static final String LICENSES_DEFAULT = "licenses_default";
    public static final String HOSTING_DEFAULT = "hosting_default";

    /** Email on the unpaid invoice; no new licenses after 14 days; every license revoked after 28. */
    public static final DunningPolicy LICENSES = new DunningPolicy(LICENSES_DEFAULT, LICENSES_DEFAULT, List.of(
            DunningStep.notify(0, "invoice_unpaid"),
            DunningStep.of(14, BLOCK_NEW_LICENSES),
            DunningStep.of(28, REVOKE_ALL_LICENSES)), true, null);

    /** Attempts on days 0, 3, 8 and 15 with an email after each of the first three; suspension on day 8; cancellation,
     * data deletion and 14 more days of backups on day 15. */
    public static final DunningPolicy HOSTING = new DunningPolicy(HOSTING_DEFAULT, HOSTING_DEFAULT, List.of(
            DunningStep.notify(0, "payment_failed_1"),
            DunningStep.of(3, RETRY_PAYMENT),
            DunningStep.notify(3, "payment_failed_2"),
            DunningStep.of(8, RETRY_PAYMENT),
            DunningStep.notify(8, "payment_failed_3"),
            DunningStep.of(8, SUSPEND_SERVICES),
            DunningStep.of(15, RETRY_PAYMENT),
            DunningStep.of(15, CANCEL_SERVICES),
            new DunningStep(15, DunningAction.SCHEDULE_DATA_DELETION, null, 14)), true, null);

    public static final List<DunningPolicy> ALL = List.of(LICENSES, HOSTING);

    private BuiltInPolicies() {}

    public static Optional<DunningPolicy> named(String name) {
        return ALL.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
