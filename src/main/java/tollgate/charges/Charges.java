package tollgate.charges;

import java.util.List;
import tollgate.invoicing.Discount;
import tollgate.invoicing.InvoiceLine;
import tollgate.invoicing.PaymentTerms;

/**
 * What one capability has to bill an account at one instant, and how it is to be paid ({@code terms}: a subscription
 * may be sent as an invoice to pay by wire; everything else is charged automatically).
 */
public record Charges(List<InvoiceLine> lines, List<Discount> discounts, PaymentTerms terms) {
    public static final Charges NONE = new Charges(List.of(), List.of());

    public Charges(List<InvoiceLine> lines, List<Discount> discounts) {
        this(lines, discounts, PaymentTerms.CHARGE_AUTOMATICALLY);
    }

    public boolean isEmpty() {
        return lines.isEmpty() && discounts.isEmpty();
    }
}
