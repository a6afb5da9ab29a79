package tollgate.subscriptions;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/**
 * A subscription's state. {@code trialing}: nothing is billed until the trial ends; {@code active}: billed on its
 * dates; {@code past_due}: an invoice of it is unpaid (set by payments and dunning, which are built later; it is
 * billed like an active one meanwhile); {@code canceled}: final, nothing more is billed.
 */
public enum SubscriptionStatus {
    TRIALING, ACTIVE, PAST_DUE, CANCELED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<SubscriptionStatus> fromWire(String wire) {
        for (SubscriptionStatus s : values()) if (s.wire().equals(wire)) return Optional.of(s);
        return Optional.empty();
    }
}
