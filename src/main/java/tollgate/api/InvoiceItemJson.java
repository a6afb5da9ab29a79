package tollgate.api;

import java.time.Instant;
import java.util.Map;
import tollgate.invoicing.InvoiceItem;

/** A one-off charge waiting for an invoice, as the API shows it (openapi fragment {@code invoice_items}). */
public record InvoiceItemJson(String id, String object, String account, String currency, long amount, String description,
                              Map<String, String> metadata, String status, String invoice, Instant createdAt) {
    static InvoiceItemJson of(InvoiceItem i) {
        return new InvoiceItemJson(i.id(), "invoice_item", i.account(), i.currency(), i.amount(), i.description(), i.metadata(),
                i.status(), i.invoice(), i.createdAt());
    }
}
