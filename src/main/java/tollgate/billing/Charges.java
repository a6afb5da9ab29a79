package tollgate.billing;

import java.util.List;
import tollgate.invoicing.Discount;
import tollgate.invoicing.InvoiceLine;

/** What one capability has to bill an account at one instant. */
public record Charges(List<InvoiceLine> lines, List<Discount> discounts) {
    public static final Charges NONE = new Charges(List.of(), List.of());

    public boolean isEmpty() {
        return lines.isEmpty() && discounts.isEmpty();
    }
}
