package tollgate.payments;

import java.time.Instant;

/** Money received on an invoice: a successful charge ({@code method} "card") or an offline payment ("wire", …). */
public record Payment(String id, String invoice, String account, long amount, String currency, String method,
                      String reference, String paymentAttempt, Instant createdAt) {}
