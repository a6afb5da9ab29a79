package tollgate.payments;

import java.time.Instant;

/** Money received on an invoice: a successful charge ({@code method} "card") or an offline payment ("wire", …). */
public record Payment(String id, String object, String invoice, String account, long amount, String currency, String method,
                      String reference, String paymentAttempt, Instant createdAt) {
    public Payment(String id, String invoice, String account, long amount, String currency, String method, String reference,
                   String paymentAttempt, Instant createdAt) {
        this(id, "payment", invoice, account, amount, currency, method, reference, paymentAttempt, createdAt);
    }
}
