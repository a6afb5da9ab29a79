package tollgate.tenants;

import java.util.Optional;
import org.jooq.DSLContext;

/** Finding a tenant by id inside the caller's transaction: what other packages may ask of the tenants' table. */
@FunctionalInterface
public interface TenantDirectory {
    Optional<Tenant> find(DSLContext db, String tenantId);
}
