package tollgate.api;

import java.time.Instant;
import tollgate.balances.BalanceTransaction;

/** One change of an account's balance as the API shows it (openapi fragment {@code balances}). */
public record BalanceTransactionJson(String id, String object, String account, String type, long amount, String currency,
                                     long endingBalance, String creditNote, String invoice, String description, Instant createdAt) {
    static BalanceTransactionJson of(BalanceTransaction t) {
        return new BalanceTransactionJson(t.id(), "balance_transaction", t.account(), t.type(), t.amount(), t.currency(),
                t.endingBalance(), t.creditNote(), t.invoice(), t.description(), t.createdAt());
    }
}
