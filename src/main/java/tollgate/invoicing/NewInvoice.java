package tollgate.invoicing;

import java.time.Instant;
import java.util.List;

/**
 * What the billing run hands to invoicing for one account and one billing instant: SPEC §2 "everything due
 * for an account at the same instant goes on one invoice". {@code billingDate} is that instant; together
 * with the account it is unique, the last guard of "exactly once". The period is the span the lines cover.
 */
public record NewInvoice(String accountId, String currency, Instant billingDate, Instant periodStart, Instant periodEnd,
                         List<InvoiceLine> lines, List<Discount> discounts) {}
