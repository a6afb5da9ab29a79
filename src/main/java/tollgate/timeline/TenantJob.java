package tollgate.timeline;

import tollgate.tenants.Ctx;

/** A job of one {@link JobKind}: told its transaction, its row's tenant (looked up once) and the tenant's now as one {@link Ctx}, and its typed reference. */
@FunctionalInterface
public interface TenantJob<R> {
    void run(Ctx ctx, R ref, Due due);
}
