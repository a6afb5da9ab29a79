package tollgate.catalog;

import java.util.Locale;
import java.util.Optional;

/** How often a plan's amount recurs. */
public enum BillingInterval {
    MONTH, YEAR;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<BillingInterval> fromWire(String wire) {
        for (BillingInterval i : values()) if (i.wire().equals(wire)) return Optional.of(i);
        return Optional.empty();
    }
}
