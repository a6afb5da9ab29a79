package tollgate.invoicing;

import java.time.Instant;
import java.util.Map;

/**
 * A one-off charge waiting for the account's next invoice (issue #10; as Stripe's pending invoice items). While
 * {@code pending}, {@code invoice} is null; once {@code invoiced}, it names the invoice the item went on.
 */
public record InvoiceItem(String id, String account, String currency, long amount, String description,
                          Map<String, String> metadata, String status, String invoice, Instant createdAt) {
    public static final String PENDING = "pending";
    public static final String INVOICED = "invoiced";

    /** The item as a line of the invoice it goes on. */
    public InvoiceLine asLine() {
        return new InvoiceLine("invoice_item", description, null, null, null, null, null, null, null, 1, null, amount);
    }
}
