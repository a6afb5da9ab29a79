package tollgate.tenants;

import java.time.Instant;
import java.util.Optional;
import org.jooq.DSLContext;

/** SQL for tenant_logos (V30): one logo per tenant, replaced whole. */
public final class TenantLogoStore {
    public void put(DSLContext db, String tenantId, TenantLogos.Logo logo, Instant now) {
        db.execute("delete from tenant_logos where tenant_id = ?", tenantId);
        db.execute("insert into tenant_logos (tenant_id, content_type, sha256, bytes, updated_at) values (?, ?, ?, ?, ?)", tenantId,
                logo.contentType(), logo.sha256(), logo.bytes(), now);
    }

    public Optional<TenantLogos.Logo> find(DSLContext db, String tenantId) {
        return db.fetchOptional("select content_type, sha256, bytes from tenant_logos where tenant_id = ?", tenantId)
                .map(r -> new TenantLogos.Logo(r.get("content_type", String.class), r.get("sha256", String.class), r.get("bytes", byte[].class)));
    }

    public Optional<String> path(DSLContext db, String tenantId) {
        return db.fetchOptional("select content_type, sha256 from tenant_logos where tenant_id = ?", tenantId)
                .map(r -> TenantLogos.path(tenantId, r.get("sha256", String.class), r.get("content_type", String.class)));
    }

    public void delete(DSLContext db, String tenantId) {
        db.execute("delete from tenant_logos where tenant_id = ?", tenantId);
    }
}
