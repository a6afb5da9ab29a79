package tollgate.billing;

import java.time.Instant;
import org.jooq.DSLContext;
import tollgate.tenants.Tenant;

/**
 * A capability that bills (licenses, subscriptions, usage). At a billing instant the run asks each source
 * for what is due, inside the run's transaction; a source also moves its own state on (periods, cycles) and
 * schedules its next billing instants through {@link BillingSchedule}. The run writes the invoice.
 */
public interface ChargeSource {
    Charges dueAt(DSLContext tx, Tenant tenant, Account account, Instant at);

    /** The account as the run hands it to sources. */
    record Account(String id, String currency, java.time.ZoneId zone) {}
}
