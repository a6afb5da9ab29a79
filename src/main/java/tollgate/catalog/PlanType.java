package tollgate.catalog;

import java.util.Locale;
import java.util.Optional;

/** How a plan is sold and billed (SPEC §2). */
public enum PlanType {
    /** One license key per site, billed in arrears per active day of the calendar month. */
    LICENSE,
    /** A fixed amount per interval, in advance. */
    FLAT,
    /** A base amount with included seats, plus a price per extra seat, in advance. */
    SEATS,
    /** Metered usage, in arrears, per unit or in graduated tiers. */
    USAGE;

    /** The name the API writes: {@code license}, {@code flat}, {@code seats}, {@code usage}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<PlanType> fromWire(String wire) {
        for (PlanType t : values()) if (t.wire().equals(wire)) return Optional.of(t);
        return Optional.empty();
    }
}
