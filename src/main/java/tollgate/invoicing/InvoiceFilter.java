package tollgate.invoicing;

import java.time.Instant;

/** What {@code GET /v1/invoices} narrows the tenant's invoices by; null fields do not narrow. */
public record InvoiceFilter(String accountId, InvoiceStatus status, Instant billingFrom, Instant billingTo, String number) {}
