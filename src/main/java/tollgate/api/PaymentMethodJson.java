package tollgate.api;

import java.time.Instant;
import tollgate.payments.DetachedPaymentMethod;
import tollgate.payments.PaymentMethod;

/** A card on file as the API shows it (openapi fragment {@code payment-methods}); the gateway's token is not shown. */
public record PaymentMethodJson(String id, String object, String account, String brand, String last4, int expMonth, int expYear,
                                boolean primary, Instant createdAt) {
    static PaymentMethodJson of(PaymentMethod m) {
        return new PaymentMethodJson(m.id(), "payment_method", m.account(), m.brand(), m.last4(), m.expMonth(), m.expYear(),
                m.primary(), m.createdAt());
    }

    /** The answer to deleting one: which went, and which became primary in its place (or null). */
    public record DetachedJson(String id, String object, boolean deleted, String promoted) {
        static DetachedJson of(DetachedPaymentMethod d) {
            return new DetachedJson(d.id(), "payment_method", true, d.promoted());
        }
    }
}
