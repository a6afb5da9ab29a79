package tollgate.catalog;

import java.util.Locale;
import java.util.Optional;

/** How long a coupon keeps discounting a subscription: one invoice, some months, or for as long as it runs. */
public enum CouponDuration {
    ONCE, REPEATING, FOREVER;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<CouponDuration> fromWire(String wire) {
        for (CouponDuration d : values()) if (d.wire().equals(wire)) return Optional.of(d);
        return Optional.empty();
    }
}
