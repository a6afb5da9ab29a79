package tollgate.web;

import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import tollgate.core.Database;

/**
 * Sessions of one audience ("portal", "console"): a random 256-bit id in an HttpOnly cookie, stored only as its
 * SHA-256. A session ends after {@link #IDLE} without a request or {@link #ABSOLUTE} after sign-in, whichever comes
 * first; signing in always makes a new id (no fixation), signing out deletes the row. Sessions keep real time (the
 * system clock), not a test tenant's clock: a tenant's clock advanced by a year must not sign its users out.
 */
public final class WebSessions {
    public static final Duration IDLE = Duration.ofMinutes(30);
    public static final Duration ABSOLUTE = Duration.ofHours(12);
    /** last_seen_at is written at most this often: not one write per page view. */
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    private final Database db;
    private final WebSessionStore store;
    private final Clock clock;
    private final Cookies cookies;
    private final String audience;
    private final String cookieName;

    public WebSessions(Database db, WebSessionStore store, Clock clock, Cookies cookies, String audience) {
        this.db = db;
        this.store = store;
        this.clock = clock;
        this.cookies = cookies;
        this.audience = audience;
        this.cookieName = "tg_" + audience;
    }

    public String cookieName() {
        return cookieName;
    }

    /** The live session of this request for {@code tenantId}, if any; an expired one is deleted on the way. */
    public Optional<WebSession> current(Context ctx, String tenantId) {
        return current(ctx).filter(s -> s.tenantId().equals(tenantId));
    }

    /**
     * The live session of this request, whatever its tenant (the console at /console/ learns its tenant from the
     * session, not from the address), if any; an expired one is deleted on the way.
     */
    public Optional<WebSession> current(Context ctx) {
        String id = ctx.cookie(cookieName);
        if (id == null || id.isEmpty() || id.length() > 100) return Optional.empty();
        String hash = Tokens.sha256(id);
        Optional<WebSession> found = store.find(db.dsl(), hash);
        if (found.isEmpty()) return Optional.empty();
        WebSession s = found.get();
        if (!s.audience().equals(audience)) return Optional.empty();
        Instant now = clock.instant();
        if (!now.isBefore(s.lastSeenAt().plus(IDLE)) || !now.isBefore(s.createdAt().plus(ABSOLUTE))) {
            store.delete(db.dsl(), hash);
            return Optional.empty();
        }
        if (!now.isBefore(s.lastSeenAt().plus(TOUCH_EVERY))) store.touch(db.dsl(), hash, now);
        return Optional.of(s);
    }

    /** Signs {@code userId} in: any session this browser had is deleted and a new id is issued. */
    public WebSession signIn(Context ctx, String tenantId, String userId, String path) {
        dropCurrent(ctx);
        String id = Tokens.random();
        Instant now = clock.instant();
        WebSession s = new WebSession(Tokens.sha256(id), audience, tenantId, userId, Tokens.random(), now, now);
        db.tx(tx -> {
            store.insert(tx, s);
            return null;
        });
        cookies.set(ctx, cookieName, id, path);
        return s;
    }

    public void signOut(Context ctx, String path) {
        dropCurrent(ctx);
        cookies.clear(ctx, cookieName, path);
    }

    /** Ends every session of the user, in every browser (after a password change, or on request). */
    public int signOutEverywhere(Context ctx, String tenantId, String userId, String path) {
        int ended = db.tx(tx -> store.deleteAllOf(tx, audience, tenantId, userId));
        cookies.clear(ctx, cookieName, path);
        return ended;
    }

    /** Ends every session of the user at once, from someone else's request (a deactivation, a password reset). */
    public int endAllOf(String tenantId, String userId) {
        return db.tx(tx -> store.deleteAllOf(tx, audience, tenantId, userId));
    }

    private void dropCurrent(Context ctx) {
        String old = ctx.cookie(cookieName);
        if (old != null && !old.isEmpty() && old.length() <= 100) store.delete(db.dsl(), Tokens.sha256(old));
    }
}
