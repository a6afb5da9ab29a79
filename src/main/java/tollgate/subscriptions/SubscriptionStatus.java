package tollgate.subscriptions;

import java.util.Locale;
import java.util.Optional;

/**
 * A subscription's state. {@code trialing}: nothing is billed until the trial ends; {@code active}: billed on its
 * dates; {@code past_due}: an invoice of it is unpaid and in dunning (billed like an active one meanwhile);
 * {@code suspended}: dunning suspended every service of the account (still billed: the plan is kept for the customer
 * until it is canceled); {@code canceled}: final, nothing more is billed. Paying everything past due returns
 * {@code past_due} and {@code suspended} ones to {@code active} (or {@code trialing}, inside a trial).
 */
public enum SubscriptionStatus {
    TRIALING, ACTIVE, PAST_DUE, SUSPENDED, CANCELED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<SubscriptionStatus> fromWire(String wire) {
        for (SubscriptionStatus s : values()) if (s.wire().equals(wire)) return Optional.of(s);
        return Optional.empty();
    }
}
