package tollgate.tenants;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;
import tollgate.core.Ids;

/** SQL for a tenant's secret keys; only their SHA-256 hashes are stored. */
public final class ApiKeyStore {
    private static final String COLUMNS = "id, name, prefix, last4, created_at, last_used_at";

    /** Stores a new key (by its hash) and answers it as the API shows it. */
    public ApiKey insert(DSLContext db, String tenantId, String key, String name, Instant now) {
        ApiKey created = new ApiKey(Ids.next("key"), name, key.substring(0, key.indexOf('_', 3) + 1), key.substring(key.length() - 4),
                now, null);
        db.execute("insert into api_keys (key_hash, id, tenant_id, name, prefix, last4, created_at) values (?, ?, ?, ?, ?, ?, ?)",
                ApiKeys.hash(key), created.id(), tenantId, name, created.prefix(), created.last4(), now);
        return created;
    }

    /** Oldest first: a tenant has a handful of keys, so one list holds them all. */
    public List<ApiKey> all(DSLContext db, String tenantId) {
        return db.fetch("select " + COLUMNS + " from api_keys where tenant_id = ? order by created_at, id", tenantId)
                .map(ApiKeyStore::key);
    }

    /**
     * Locks every key row of the tenant and answers how many there are: revocations of one tenant take turns, so
     * two at once cannot both see a second key and leave none.
     */
    public int lockAll(DSLContext db, String tenantId) {
        return db.fetch("select id from api_keys where tenant_id = ? for update", tenantId).size();
    }

    public Optional<ApiKey> find(DSLContext db, String tenantId, String id) {
        return db.fetchOptional("select " + COLUMNS + " from api_keys where tenant_id = ? and id = ?", tenantId, id)
                .map(ApiKeyStore::key);
    }

    /** Deletes the key and answers its hash (to forget it from this process's cache). */
    public Optional<String> delete(DSLContext db, String tenantId, String id) {
        Optional<String> hash = db.fetchOptional("select key_hash from api_keys where tenant_id = ? and id = ?", tenantId, id)
                .map(r -> r.get(0, String.class));
        hash.ifPresent(h -> db.execute("delete from api_keys where key_hash = ?", h));
        return hash;
    }

    /** The id and name of the key with this hash (the audit log names the key that wrote, decision 041). */
    public Optional<ApiKey> findByHash(DSLContext db, String keyHash) {
        return db.fetchOptional("select id, name, prefix, last4, created_at, last_used_at from api_keys where key_hash = ?", keyHash)
                .map(ApiKeyStore::key);
    }

    /** Records a use, at most once a minute per key so that busy keys cost no write per request. */
    public void touch(DSLContext db, String keyHash, Instant now) {
        db.execute("update api_keys set last_used_at = ? where key_hash = ? and (last_used_at is null or last_used_at < ?)",
                now, keyHash, now.minusSeconds(60));
    }

    private static ApiKey key(Record r) {
        return new ApiKey(r.get("id", String.class), r.get("name", String.class), r.get("prefix", String.class),
                r.get("last4", String.class), r.get("created_at", Instant.class), r.get("last_used_at", Instant.class));
    }
}
