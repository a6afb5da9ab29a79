package tollgate.payments;

import java.time.Instant;
import tollgate.core.Ids;

/**
 * A card on file for an account, as the API shows it: what the gateway told about the card, and whether
 * invoices are charged to it first ({@code primary}). The gateway's token stays in the store; it is not shown.
 */
public record PaymentMethod(String id, String account, String brand, String last4, int expMonth,
                            int expYear, boolean primary, Instant createdAt) {

    /** A new method for {@code accountId}; {@link PrimaryPaymentMethod#onAttach} decides {@code primary}. */
    public static PaymentMethod attach(String accountId, Card card, boolean primary, Instant now) {
        return new PaymentMethod(Ids.next("pm"), accountId, card.brand(), card.last4(), card.expMonth(), card.expYear(),
                primary, now);
    }

    public PaymentMethod withPrimary(boolean primary) {
        return new PaymentMethod(id, account, brand, last4, expMonth, expYear, primary, createdAt);
    }
}
