package tollgate.subscriptions;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.jooq.DSLContext;
import tollgate.catalog.PlanType;

/**
 * What usage asks of the subscriptions' table, in the caller's transaction: reads and row locks, and saving a
 * subscription its billing moved on ({@link SubscriptionCharges#settle}). Nothing else of the store leaves the package.
 */
public interface SubscriptionDirectory {
    /** The account's subscriptions of these types with a billing date due by {@code at}, locked. */
    List<Subscription> lockDue(DSLContext db, String tenantId, String accountId, Instant at, Set<PlanType> types);

    /** These subscriptions, locked, for recording their usage. */
    List<Subscription> lockForUsage(DSLContext db, String tenantId, Collection<String> ids);

    /** Saves a subscription as billing left it (its cycle moved on, one more invoice counted). */
    void update(DSLContext db, String tenantId, Subscription s);

    /** Which of these accounts have something of these plan types due by {@code at}. */
    Set<String> accountsWithDue(DSLContext db, String tenantId, List<String> accountIds, Instant at, Set<PlanType> types,
                                boolean prorations);
}
