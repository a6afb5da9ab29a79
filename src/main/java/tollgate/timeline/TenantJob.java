package tollgate.timeline;

import java.time.Instant;
import org.jooq.DSLContext;
import tollgate.tenants.Tenant;

/** A job of one {@link JobKind}: told its row's tenant (looked up once), its typed reference and the tenant's now. */
@FunctionalInterface
public interface TenantJob<R> {
    void run(DSLContext tx, Tenant tenant, R ref, Due due, Instant now);
}
