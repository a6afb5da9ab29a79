package tollgate.tenants;

/** Work done in the transaction that creates a tenant (e.g. scheduling its housekeeping). */
@FunctionalInterface
public interface TenantSetup {
    void onCreated(Ctx ctx);
}
