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
    private final List<TenantSetup> setups = new java.util.concurrent.CopyOnWriteArrayList<>();
    /**
     * How long this process trusts a key it has looked up before it asks the database again. A key revoked on another
     * node stops working here within this time; a revocation on this node is forgotten at once.
     */
    public static final long KEY_CACHE_SECONDS = 2;
    private static final long KEY_CACHE_NANOS = KEY_CACHE_SECONDS * 1_000_000_000L;

    /** A key's tenant as looked up at {@code checkedAt} ({@link System#nanoTime}). */
    private record Known(Tenant tenant, long checkedAt) {}

    private final Map<String, Known> byKeyHash = new ConcurrentHashMap<>();
    private final ApiKeyStore keys = new ApiKeyStore();

    public Tenants(Database db, TenantStore store, TenantClock clock) {
        this.db = db;
        this.store = store;
        this.clock = clock;
    }

    /** What runs in the transaction that creates a tenant (registered in {@code tollgate/Reactions.java}). */
    public void onCreated(TenantSetup setup) {
        setups.add(setup);
    }

    public Created create(String name, Tenant.Mode mode) {
        return createWithKey(name, mode, ApiKeys.generate(mode));
    }

    public Created createWithKey(String name, Tenant.Mode mode, String key) {
        return create(name, mode, key, null);
    }

    /**
     * A tenant with its portal slug ({@code tollgate tenant create --slug}): a slug that is malformed or taken refuses the
     * whole, so that no tenant is left behind without the slug asked for and with a key nobody saw.
     */
    public Created create(String name, Tenant.Mode mode, String slug) {
        return create(name, mode, ApiKeys.generate(mode), slug);
    }

    private Created create(String name, Tenant.Mode mode, String key, String slug) {
        Tenant.requireName("name", name);
        if (!ApiKeys.isWellFormed(key) || ApiKeys.modeOf(key) != mode)
            throw new IllegalArgumentException("key must look like tg_" + mode.wire() + "_ followed by 16+ letters or digits");
        if (slug != null) requireWellFormedSlug(slug);
        Tenant tenant = new Tenant(Ids.next("tnt"), name.strip(), mode);
        Instant now = clock.systemNow();
        db.tx(tx -> {
            store.insert(tx, tenant, now);
            store.insertKey(tx, tenant.id(), key, now);
            for (TenantSetup setup : setups) setup.onCreated(new Ctx(tx, tenant, now));
            if (slug != null) setSlug(tx, tenant.id(), slug);
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

    /** A portal address, as {@code POST /v1/tenant} takes it (TenantProfiles): lower-case letters, digits, inner dashes. */
    static final java.util.regex.Pattern SLUG = java.util.regex.Pattern.compile("[a-z0-9]([a-z0-9-]{0,58}[a-z0-9])?");

    /**
     * Sets the tenant's portal slug (/portal/{slug}/) for the CLI and the demo tenant (the API sets it through
     * TenantProfiles); refuses a malformed one or one another tenant has.
     */
    public void setSlug(String tenantId, String slug) {
        requireWellFormedSlug(slug);
        db.tx(tx -> {
            setSlug(tx, tenantId, slug);
            return null;
        });
    }

    private static void requireWellFormedSlug(String slug) {
        if (slug == null || !SLUG.matcher(slug).matches())
            throw new IllegalArgumentException("a portal slug is 1-60 lower-case letters, digits and inner dashes, e.g. acme-hosting");
    }

    private void setSlug(org.jooq.DSLContext tx, String tenantId, String slug) {
        Optional<Tenant> owner = store.findBySlug(tx, slug);
        if (owner.isPresent() && !owner.get().id().equals(tenantId))
            throw new IllegalArgumentException("the portal slug '" + slug + "' is taken by another tenant");
        store.setSlug(tx, tenantId, slug);
    }

    public Optional<Tenant> bySlug(String slug) {
        return slug == null ? Optional.empty() : store.findBySlug(db.dsl(), slug);
    }

    /**
     * The tenant a person names as their workspace (the console's sign-in, {@code staff create}): its portal slug or its
     * id, whether or not it has a slug. A slug cannot be an id (no underscore), so the two never name different tenants.
     */
    public Optional<Tenant> byWorkspace(String workspace) {
        if (workspace == null) return Optional.empty();
        return SLUG.matcher(workspace).matches() ? store.findBySlug(db.dsl(), workspace) : store.find(db.dsl(), workspace);
    }

    public Optional<String> slugOf(String tenantId) {
        return store.slug(db.dsl(), tenantId);
    }

    /** The key that a request authenticated with (the audit log's actor of an API write); empty once revoked. */
    public Optional<ApiKey> keyOf(String key) {
        if (!ApiKeys.isWellFormed(key)) return Optional.empty();
        String hash = ApiKeys.hash(key);
        long nanos = System.nanoTime();
        // Kept as long as the key's tenant is (KEY_CACHE_SECONDS): the request it labels was let in on that cache anyway.
        KnownKey cached = keyByHash.get(hash);
        if (cached != null && nanos - cached.checkedAt() < KEY_CACHE_NANOS) return Optional.of(cached.key());
        Optional<ApiKey> found = keys.findByHash(db.dsl(), hash);
        if (found.isPresent()) keyByHash.put(hash, new KnownKey(found.get(), nanos));
        else keyByHash.remove(hash);
        return found;
    }

    private record KnownKey(ApiKey key, long checkedAt) {}

    /** The keys of recent writes, for their audit lines (one read per key every {@link #KEY_CACHE_SECONDS}, not per write). */
    private final Map<String, KnownKey> keyByHash = new ConcurrentHashMap<>();

    public Optional<Tenant> authenticate(String key) {
        if (!ApiKeys.isWellFormed(key)) return Optional.empty();
        String hash = ApiKeys.hash(key);
        long nanos = System.nanoTime();
        Known cached = byKeyHash.get(hash);
        if (cached != null && nanos - cached.checkedAt() < KEY_CACHE_NANOS) return Optional.of(cached.tenant());
        Optional<Tenant> found = store.findByKeyHash(db.dsl(), hash);
        if (found.isPresent()) {
            byKeyHash.put(hash, new Known(found.get(), nanos));
            try {
                keys.touch(db.dsl(), hash, clock.systemNow());
            } catch (RuntimeException e) {
                // "last used" is a courtesy: a lock wait on it must not turn a valid key away
            }
        } else {
            byKeyHash.remove(hash);
        }
        return found;
    }

    /** Forgets a revoked key at once in this process (other processes within {@link #KEY_CACHE_SECONDS}). */
    void forget(String keyHash) {
        byKeyHash.remove(keyHash);
        keyByHash.remove(keyHash);
    }
}
