package tollgate.invoicing;

import java.time.Instant;

/**
 * What {@code GET /v1/invoices} and the console's invoice list (decision 046) narrow the tenant's invoices by; null
 * fields do not narrow. {@code pastDue}: only open invoices that became past due.
 */
public record InvoiceFilter(String accountId, InvoiceStatus status, Instant billingFrom, Instant billingTo, String number,
                            String currency, boolean pastDue) {
    public InvoiceFilter(String accountId, InvoiceStatus status, Instant billingFrom, Instant billingTo, String number) {
        this(accountId, status, billingFrom, billingTo, number, null, false);
    }
}
