package tollgate.payments;

import java.util.List;
import java.util.Optional;

/**
 * SPEC §5: an account that has payment methods has exactly one primary. The first method becomes primary;
 * a later one only when asked; deleting the primary promotes the oldest remaining method.
 */
public final class PrimaryPaymentMethod {
    private PrimaryPaymentMethod() {}

    /**
     * Whether a method being attached becomes primary. The first one always does, even when asked not to,
     * because an account with methods must have a primary to charge.
     */
    public static boolean onAttach(boolean accountHasMethods, boolean askedForPrimary) {
        return !accountHasMethods || askedForPrimary;
    }

    /**
     * The method promoted when {@code detached} goes: the oldest of {@code remainingOldestFirst} if the primary
     * went, else none.
     */
    public static Optional<PaymentMethod> promotedOnDetach(PaymentMethod detached, List<PaymentMethod> remainingOldestFirst) {
        if (!detached.primary()) return Optional.empty();
        return remainingOldestFirst.stream().filter(m -> !m.id().equals(detached.id())).findFirst();
    }
}
