package tollgate.balances;

import java.time.Instant;

/**
 * One change of an account's balance (Stripe's customer balance transaction). Amounts are minor units of the account's
 * currency, signed as the balance is: a credit is negative ({@code credit_note}, a credit {@code adjustment}), credit
 * consumed by an invoice at issue is positive ({@code applied_to_invoice}). {@code ending_balance} is the balance after it.
 */
public record BalanceTransaction(String id, String account, String type, long amount, String currency, long endingBalance,
                                 String creditNote, String invoice, String description, Instant createdAt) {
    public static final String CREDIT_NOTE = "credit_note";
    public static final String APPLIED_TO_INVOICE = "applied_to_invoice";
    public static final String ADJUSTMENT = "adjustment";
}
