package tollgate.tenants;

import java.time.Instant;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;

/** SQL for tenants and their keys. */
public final class TenantStore implements TenantDirectory {
    /** Lookups by the primary key, prepared on the server (decision 083). */
    private static final String READ_CLOCK = tollgate.core.Database.byKey("select clock_now from tenants where id = ?");
    private static final String FIND = tollgate.core.Database.byKey("select id, name, mode from tenants where id = ?");

    public void insert(DSLContext db, Tenant tenant, Instant now) {
        db.execute("insert into tenants (id, name, mode, clock_now, created_at) values (?, ?, ?, ?, ?)",
                tenant.id(), tenant.name(), tenant.mode().wire(), tenant.isTest() ? now : null, now);
    }

    public void insertKey(DSLContext db, String tenantId, String key, Instant now) {
        new ApiKeyStore().insert(db, tenantId, key, null, now);
    }

    public Optional<Tenant> findByKeyHash(DSLContext db, String keyHash) {
        return db.fetchOptional("select t.id, t.name, t.mode from api_keys k join tenants t on t.id = k.tenant_id where k.key_hash = ?",
                keyHash).map(TenantStore::tenant);
    }

    @Override
    public Optional<Tenant> find(DSLContext db, String id) {
        return db.fetchOptional(FIND, id).map(TenantStore::tenant);
    }

    /** The tenant whose portal lives at /portal/{slug}/: its slug, or its id while it has chosen none (V16). */
    public Optional<Tenant> findBySlug(DSLContext db, String slug) {
        return db.fetchOptional("select id, name, mode from tenants where slug = ? or (slug is null and id = ?)", slug, slug)
                .map(TenantStore::tenant);
    }

    public Optional<String> slug(DSLContext db, String tenantId) {
        return db.fetchOptional("select slug from tenants where id = ?", tenantId).map(r -> r.get(0, String.class));
    }

    public void setSlug(DSLContext db, String tenantId, String slug) {
        db.execute("update tenants set slug = ? where id = ?", slug, tenantId);
    }

    public boolean any(DSLContext db) {
        return db.fetchExists(org.jooq.impl.DSL.table("tenants"));
    }

    /** Reads the test clock and locks the tenant's row, so that clock moves are serialised. */
    public Instant lockTestClock(DSLContext db, String tenantId) {
        return db.fetchOne("select clock_now from tenants where id = ? for update", tenantId).get(0, Instant.class);
    }

    public Instant readTestClock(DSLContext db, String tenantId) {
        return db.fetchOne(READ_CLOCK, tenantId).get(0, Instant.class);
    }

    public void setTestClock(DSLContext db, String tenantId, Instant now) {
        db.execute("update tenants set clock_now = ? where id = ? and mode = 'test'", now, tenantId);
    }

    private static Tenant tenant(Record r) {
        return new Tenant(r.get("id", String.class), r.get("name", String.class), Tenant.Mode.parse(r.get("mode", String.class)));
    }
}
