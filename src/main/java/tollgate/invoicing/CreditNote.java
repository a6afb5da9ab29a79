package tollgate.invoicing;

import java.time.Instant;
import java.util.List;

/**
 * A correction of an invoice (SPEC §4). On an open invoice ({@code type} {@code pre_payment}) {@code amount} comes off
 * what is due. On a paid one ({@code post_payment}) it is given back: through the gateway that took the money
 * ({@code refund_to} {@code payment}, its {@code refund}) or as credit on the account's balance ({@code balance}, its
 * {@code balance_transaction}), as Stripe's refund_amount and credit_amount. {@code lines} says which invoice lines it
 * credits and by how much; a credit of a whole amount names no lines. {@code status} is {@code issued}, or {@code void}
 * when the gateway refused its refund: nothing was given back.
 */
public record CreditNote(String id, String invoice, String account, String number, String currency,
                         long amount, List<Line> lines, String reason, Instant createdAt, String type, String status,
                         String refundTo, Refund refund, String balanceTransaction) {
    public static final String PRE_PAYMENT = "pre_payment";
    public static final String POST_PAYMENT = "post_payment";
    public static final String ISSUED = "issued";
    public static final String VOID = "void";

    /** What was taken off one invoice line; {@code description} repeats the line's, for reading without the invoice. */
    public record Line(String line, String description, long amount) {}

    public CreditNote {
        lines = List.copyOf(lines);
    }

    public CreditNote numbered(String newNumber) {
        return new CreditNote(id, invoice, account, newNumber, currency, amount, lines, reason, createdAt, type, status,
                refundTo, refund, balanceTransaction);
    }

    /** A credit note on a paid invoice, giving its amount back to {@code to} ({@code payment} or {@code balance}). */
    public CreditNote afterPayment(String to) {
        return new CreditNote(id, invoice, account, number, currency, amount, lines, reason, createdAt, POST_PAYMENT, status,
                to, refund, balanceTransaction);
    }

    public CreditNote withRefund(Refund given) {
        return new CreditNote(id, invoice, account, number, currency, amount, lines, reason, createdAt, type,
                Refund.FAILED.equals(given.status()) ? VOID : status, refundTo, given, balanceTransaction);
    }

    public CreditNote withBalanceTransaction(String transaction) {
        return new CreditNote(id, invoice, account, number, currency, amount, lines, reason, createdAt, type, status,
                refundTo, refund, transaction);
    }
}
