package tollgate.tenants;

import java.time.Instant;
import org.jooq.DSLContext;

/** Work done in the transaction that creates a tenant (e.g. scheduling its housekeeping). */
@FunctionalInterface
public interface TenantSetup {
    void onCreated(DSLContext tx, Tenant tenant, Instant now);
}
