package tollgate.tenants;

import java.time.Instant;
import tollgate.accounts.CompanyDetails;
import tollgate.core.Database;
import tollgate.events.EventLog;

/** Reading and changing the tenant's own name and company details (the seller block of its invoices). */
public final class TenantProfiles {
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

    /**
     * Changes the name (when given) and replaces the company details (when given: the whole object, so a field left
     * out is cleared). Records {@code tenant.updated}.
     */
    public TenantProfile update(Tenant tenant, String name, SellerCompany company) {
        if (name != null) CompanyDetails.requireText("name", name, 200);
        if (company != null) {
            CompanyDetails.checked("company", company.details());
            if (company.supportEmail() != null) CompanyDetails.requireEmail("company.support_email", company.supportEmail());
        }
        return db.tx(tx -> {
            Instant now = clock.now(tx, tenant);
            TenantProfile before = store.lock(tx, tenant.id()).orElseThrow();
            TenantProfile after = new TenantProfile(before.id(), name == null ? before.name() : name.strip(), before.mode(),
                    company == null ? before.company() : company);
            store.update(tx, after);
            events.append(tx, tenant.id(), "tenant.updated", null, now, after);
            return after;
        });
    }
}
