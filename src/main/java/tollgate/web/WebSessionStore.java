package tollgate.web;

import java.time.Instant;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;

/** SQL for web_sessions (V19). Rows are found by the SHA-256 of the cookie's id, never by the id itself. */
public final class WebSessionStore {

    public void insert(DSLContext db, WebSession s) {
        db.execute("insert into web_sessions (id_hash, audience, tenant_id, user_id, csrf_token, created_at, last_seen_at) "
                + "values (?, ?, ?, ?, ?, ?, ?)", s.idHash(), s.audience(), s.tenantId(), s.userId(), s.csrfToken(),
                s.createdAt(), s.lastSeenAt());
    }

    public Optional<WebSession> find(DSLContext db, String idHash) {
        return db.fetchOptional("select id_hash, audience, tenant_id, user_id, csrf_token, created_at, last_seen_at "
                + "from web_sessions where id_hash = ?", idHash).map(WebSessionStore::session);
    }

    public void touch(DSLContext db, String idHash, Instant at) {
        db.execute("update web_sessions set last_seen_at = ? where id_hash = ?", at, idHash);
    }

    public void delete(DSLContext db, String idHash) {
        db.execute("delete from web_sessions where id_hash = ?", idHash);
    }

    public int deleteAllOf(DSLContext db, String audience, String tenantId, String userId) {
        return db.execute("delete from web_sessions where audience = ? and tenant_id = ? and user_id = ?", audience, tenantId, userId);
    }

    private static WebSession session(Record r) {
        return new WebSession(r.get("id_hash", String.class), r.get("audience", String.class), r.get("tenant_id", String.class),
                r.get("user_id", String.class), r.get("csrf_token", String.class), r.get("created_at", Instant.class),
                r.get("last_seen_at", Instant.class));
    }
}
