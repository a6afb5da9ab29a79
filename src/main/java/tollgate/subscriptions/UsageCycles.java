package tollgate.subscriptions;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jooq.DSLContext;
import tollgate.charges.Charges;
import tollgate.invoicing.InvoiceLine;
import tollgate.tenants.Tenant;

/**
 * What usage billing asks of subscriptions inside the billing run's transaction: the usage subscriptions whose cycle
 * has ended, and closing them once their lines are known. Subscriptions own their rows; usage reads and writes them
 * only through this ({@link SubscriptionCharges} implements it).
 */
public interface UsageCycles {
    /** Which of these accounts have a usage subscription whose cycle ended by {@code at}: one query for a whole batch. */
    Set<String> accountsWithCycleEnded(DSLContext tx, Tenant tenant, List<String> accountIds, Instant at);

    /** The account's usage subscriptions whose cycle ended by {@code at}, locked, in id order. */
    List<Subscription> lockCyclesEnded(DSLContext tx, Tenant tenant, String accountId, Instant at);

    /** Closes the subscriptions' part of one invoice, as {@link SubscriptionCharges#settle} does for its own. */
    Charges settle(DSLContext tx, Tenant tenant, ZoneId zone, Instant at, Map<String, Subscription> touched,
                   Map<String, List<InvoiceLine>> lines);
}
