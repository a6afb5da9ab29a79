package tollgate.tenants;

import java.time.Instant;
import tollgate.accounts.CompanyDetails;
import tollgate.core.Database;
import tollgate.events.EventLog;

/** Reading and changing the tenant's own name and company details (the seller block of its invoices). */
public final class TenantProfiles {
    /** A change of the tenant's gateway: a name, or {@link #DEFAULT} (null) for its mode's default. */
    public record GatewayChoice(String name) {
        public static final GatewayChoice DEFAULT = new GatewayChoice(null);
    }

    private final Database db;
    private final TenantProfileStore store;
    private final TenantClock clock;
    private final EventLog events;

    public TenantProfiles(Database db, TenantProfileStore store, TenantClock clock, EventLog events) {
        this.db = db;
        this.store = store;
        this.clock = clock;
        this.events = events;
    }

    public TenantProfile get(Tenant tenant) {
        return store.find(db.dsl(), tenant.id()).orElseThrow();
    }

    /** The gateway the tenant chose for attaching new cards, or null for its mode's default. */
    public String gateway(Tenant tenant) {
        return store.gateway(db.dsl(), tenant.id());
    }

    public TenantProfile update(Tenant tenant, String name, SellerCompany company) {
        return update(tenant, name, company, null);
    }

    /**
     * Changes the name (when given), replaces the company details (when given: the whole object, so a field left
     * out is cleared) and sets the gateway (when given; {@link GatewayChoice#DEFAULT} goes back to the mode's
     * default). Which gateways a tenant may choose is the payments' rule: the caller has checked it. Records
     * {@code tenant.updated}.
     */
    public TenantProfile update(Tenant tenant, String name, SellerCompany company, GatewayChoice gateway) {
        if (name != null) CompanyDetails.requireText("name", name, 200);
        if (company != null) {
            CompanyDetails.checked("company", company.details());
            if (company.supportEmail() != null) CompanyDetails.requireEmail("company.support_email", company.supportEmail());
        }
        return db.tx(tx -> {
            Instant now = clock.now(tx, tenant);
            TenantProfile before = store.lock(tx, tenant.id()).orElseThrow();
            TenantProfile after = new TenantProfile(before.id(), name == null ? before.name() : name.strip(), before.mode(),
                    company == null ? before.company() : company, gateway == null ? before.gateway() : gateway.name());
            store.update(tx, after);
            events.append(tx, tenant.id(), "tenant.updated", null, now, after);
            return after;
        });
    }
}
