package tollgate.tenants;

import java.util.Optional;
import org.jooq.DSLContext;

/** Reading a tenant's profile (the seller on its invoices, its mail settings) in the caller's transaction. */
@FunctionalInterface
public interface TenantProfileDirectory {
    Optional<TenantProfile> find(DSLContext db, String tenantId);
}
