package tollgate.tenants;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import tollgate.core.Database;
import tollgate.core.Ids;

/** Creating tenants, handing out their keys once, and finding the tenant behind a key. */
public final class Tenants {
    /** A tenant with the key it was created with: the only time the key is seen in clear. */
    public record Created(Tenant tenant, String secretKey) {}

    private final Database db;
    private final TenantStore store;
    private final TenantClock clock;
    private final List<TenantSetup> setups;
    private final Map<String, Tenant> byKeyHash = new ConcurrentHashMap<>();

    public Tenants(Database db, TenantStore store, TenantClock clock, List<TenantSetup> setups) {
        this.db = db;
        this.store = store;
        this.clock = clock;
        this.setups = List.copyOf(setups);
    }

    public Created create(String name, Tenant.Mode mode) {
        return createWithKey(name, mode, ApiKeys.generate(mode));
    }

    public Created createWithKey(String name, Tenant.Mode mode, String key) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a tenant needs a name");
        if (!ApiKeys.isWellFormed(key) || ApiKeys.modeOf(key) != mode)
            throw new IllegalArgumentException("key must look like tg_" + mode.wire() + "_ followed by 16+ letters or digits");
        Tenant tenant = new Tenant(Ids.next("tnt"), name.strip(), mode);
        Instant now = clock.systemNow();
        db.tx(tx -> {
            store.insert(tx, tenant, now);
            store.insertKey(tx, tenant.id(), key, now);
            for (TenantSetup setup : setups) setup.onCreated(tx, tenant, now);
            return null;
        });
        return new Created(tenant, key);
    }

    /** {@code TOLLGATE_BOOTSTRAP_KEY}: on an empty database, a test tenant that owns that key (never a live one). */
    public Optional<Created> bootstrap(String key) {
        if (db.tx(store::any)) return Optional.empty();
        return Optional.of(createWithKey("Bootstrap", Tenant.Mode.TEST, key));
    }

    public boolean anyExist() {
        return store.any(db.dsl());
    }

    /** A tenant by id, for tools that act on one (the CLI's benchmarks, crash tests). */
    public Tenant get(String id) {
        return store.find(db.dsl(), id).orElseThrow(() -> new IllegalArgumentException("no tenant " + id));
    }

    public Optional<Tenant> authenticate(String key) {
        if (!ApiKeys.isWellFormed(key)) return Optional.empty();
        String hash = ApiKeys.hash(key);
        Tenant cached = byKeyHash.get(hash);
        if (cached != null) return Optional.of(cached);
        Optional<Tenant> found = store.findByKeyHash(db.dsl(), hash);
        found.ifPresent(t -> byKeyHash.put(hash, t));
        return found;
    }
}
