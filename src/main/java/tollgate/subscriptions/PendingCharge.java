package tollgate.subscriptions;

import java.time.Instant;
import tollgate.invoicing.InvoiceLine;

/**
 * A line a subscription owes and bills on a later invoice: a seat increase's proration, charged for
 * [{@code periodStart} = the change, {@code periodEnd} = the period's end) and billed at {@code billAt}, the
 * subscription's next monthly date.
 */
public record PendingCharge(long id, String subscription, String account, String plan, String description,
                            Instant periodStart, Instant periodEnd, long quantity, int days, long amount,
                            Instant createdAt, Instant billAt) {
    public static final String PRORATION = "proration";

    public InvoiceLine line() {
        return new InvoiceLine(PRORATION, description, plan, subscription, null, null, null, periodStart, periodEnd,
                quantity, days, amount);
    }
}
