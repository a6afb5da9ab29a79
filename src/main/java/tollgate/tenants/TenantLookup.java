package tollgate.tenants;

import java.util.Optional;
import org.jooq.DSLContext;

/** What other capabilities read of tenants inside their own transaction: a tenant by id (a timeline job's tenant). */
@FunctionalInterface
public interface TenantLookup {
    Optional<Tenant> find(DSLContext db, String tenantId);
}
