package tollgate.tenants;

import java.time.Instant;
import java.util.List;
import tollgate.core.Database;
import tollgate.core.Problem;
import tollgate.events.EventLog;

/**
 * A tenant's secret keys over the API (rotation without downtime): a second key is made, the platform switches to it,
 * the old one is revoked. A revoked key stops working on this node at once and on every other node within
 * {@link Tenants#KEY_CACHE_SECONDS} seconds. The last key cannot be revoked: the tenant would lock itself out.
 */
public final class SecretKeys {
    /** Enough for rotation and a key per service of the platform; a bound so that a loop cannot mint keys forever. */
    public static final int MAX_KEYS = 20;
    public static final int MAX_NAME = 100;

    private final Database db;
    private final ApiKeyStore store;
    private final Tenants tenants;
    private final TenantClock clock;
    private final EventLog events;

    /** Which key was revoked (the API answers api's {@code DeletedJson}, as Stripe answers a deletion). */
    public record Revoked(String id) {}

    public SecretKeys(Database db, ApiKeyStore store, Tenants tenants, TenantClock clock, EventLog events) {
        this.db = db;
        this.store = store;
        this.tenants = tenants;
        this.clock = clock;
        this.events = events;
    }

    /** A new key in the tenant's mode; the answer carries the key in clear, the only time it is shown. */
    public ApiKey create(Tenant tenant, String name) {
        if (name != null) tollgate.parties.CompanyDetails.requireText("name", name, MAX_NAME);
        String key = ApiKeys.generate(tenant.mode());
        return db.tx(tx -> {
            if (store.lockAll(tx, tenant.id()) >= MAX_KEYS)
                throw Problem.conflict("api_key_limit", "A tenant may have at most " + MAX_KEYS + " keys; revoke one first");
            Instant now = clock.systemNow();
            ApiKey created = store.insert(tx, tenant.id(), key, name == null ? null : name.strip(), now);
            events.append(tx, tenant.id(), "api_key.created", null, clock.now(tx, tenant), created);
            return created.withSecret(key);
        });
    }

    /** The tenant's keys, oldest first (a tenant has at most {@link #MAX_KEYS}). */
    public List<ApiKey> list(Tenant tenant) {
        return store.all(db.dsl(), tenant.id());
    }

    /** Revokes the key; 409 {@code last_api_key} when it is the tenant's only one. */
    public Revoked revoke(Tenant tenant, String keyId) {
        String hash = db.tx(tx -> {
            int keys = store.lockAll(tx, tenant.id());
            ApiKey key = store.find(tx, tenant.id(), keyId).orElseThrow(() -> Problem.notFound("api key", keyId));
            if (keys <= 1)
                throw Problem.conflict("last_api_key", "This is the tenant's last key: create another before revoking it");
            String h = store.delete(tx, tenant.id(), keyId).orElseThrow();
            events.append(tx, tenant.id(), "api_key.revoked", null, clock.now(tx, tenant), key);
            return h;
        });
        tenants.forget(hash);
        return new Revoked(keyId);
    }
}
