package tollgate.invoicing;

import java.time.Instant;
import java.util.List;

/**
 * What the billing run hands to invoicing for one account and one billing instant: SPEC §2 "everything due
 * for an account at the same instant goes on one invoice". {@code billingDate} is that instant; together
 * with the account it is unique, the last guard of "exactly once". The period is the span the lines cover.
 */
public record NewInvoice(String accountId, String currency, Instant billingDate, Instant periodStart, Instant periodEnd,
                         List<InvoiceLine> lines, List<Discount> discounts, PaymentTerms terms, boolean followUp) {

    /**
     * @param terms    how the invoice is paid (decision 022: sent to be paid only when every part of it is)
     * @param followUp a later invoice of an instant already invoiced: charges that arrived after the instant's invoice
     *                 was issued (a second signup at one test-clock instant); it takes the instant's next sequence number
     *                 instead of being refused as a second run of that instant
     */
    public NewInvoice {}

    /** The billing run's invoice of its instant, charged automatically. */
    public NewInvoice(String accountId, String currency, Instant billingDate, Instant periodStart, Instant periodEnd,
                      List<InvoiceLine> lines, List<Discount> discounts) {
        this(accountId, currency, billingDate, periodStart, periodEnd, lines, discounts, PaymentTerms.CHARGE_AUTOMATICALLY, false);
    }
}
