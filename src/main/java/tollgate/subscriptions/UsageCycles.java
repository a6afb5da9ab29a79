package tollgate.subscriptions;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tollgate.charges.Charges;
import tollgate.invoicing.InvoiceLine;
import tollgate.tenants.Ctx;

/**
 * What usage billing asks of subscriptions inside the billing run's transaction: the usage subscriptions whose cycle
 * has ended, and closing them once their lines are known. Subscriptions own their rows; usage reads and writes them
 * only through this ({@link SubscriptionCharges} implements it).
 */
public interface UsageCycles {
    /** Which of these accounts have a usage subscription whose cycle ended by {@code ctx.now()}: one query for a whole batch. */
    Set<String> accountsWithCycleEnded(Ctx ctx, List<String> accountIds);

    /** The account's usage subscriptions whose cycle ended by {@code ctx.now()}, locked, in id order. */
    List<Subscription> lockCyclesEnded(Ctx ctx, String accountId);

    /** Closes the subscriptions' part of one invoice billed at {@code ctx.now()}, as {@link SubscriptionCharges#settle} does for its own. */
    Charges settle(Ctx ctx, ZoneId zone, Map<String, Subscription> touched, Map<String, List<InvoiceLine>> lines);
}
