package tollgate.web;

import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jooq.exception.DataAccessException;
import tollgate.core.Database;

/**
 * Single-use form tokens (decision 040), held in the database so that every node behind a load balancer sees them: a
 * form whose POST must act once carries {@link #newToken()}; the first POST of it records the token (tied to the
 * session row, and deleted with it), and any later POST of the same token — a double click, a reload, the same form
 * sent to another node — acts no more. Only the token's SHA-256 is stored.
 */
public final class FormTokens {
    private static final Pattern TOKEN = Pattern.compile("[0-9a-f]{32}|[A-Za-z0-9_-]{43}");
    /** How long a second POST waits for the first one's answer before it is sent on without one. */
    private static final int WAIT_STEPS = 50;
    private static final long WAIT_STEP_MILLIS = 100;

    private final Database db;
    private final FormTokenStore store;
    private final Clock clock;

    public FormTokens(Database db, FormTokenStore store, Clock clock) {
        this.db = db;
        this.store = store;
        this.clock = clock;
    }

    /** A fresh token to put in a form (256 random bits, URL-safe). */
    public static String newToken() {
        return Tokens.random();
    }

    /** Whether {@code token} has the shape {@link #newToken()} makes (or the 32 hex digits of forms made before). */
    public static boolean wellFormed(String token) {
        return token != null && TOKEN.matcher(token).matches();
    }

    /**
     * True the first time {@code token} is sent in this session, on any node; false for a token used before, a missing
     * or malformed token, or no session. The token counts as used from this moment, whatever the POST then does.
     */
    public boolean firstUse(Optional<WebSession> session, String token) {
        if (session.isEmpty() || token == null || !TOKEN.matcher(token).matches()) return false;
        return claim(session.get(), Tokens.sha256(token));
    }

    /**
     * Runs {@code action} for the first POST of {@code token} and remembers its answer (where to send the browser); a
     * later POST of the same token runs nothing and gets that answer, waiting up to five seconds while the first is
     * still working (then empty). When {@code action} throws, the token is free again: the form may be sent once more.
     * Empty as well for a missing or malformed token or no session.
     */
    public Optional<String> once(Optional<WebSession> session, String token, Supplier<String> action) {
        if (session.isEmpty() || token == null || !TOKEN.matcher(token).matches()) return Optional.empty();
        String hash = Tokens.sha256(token);
        if (claim(session.get(), hash)) {
            String result;
            try {
                result = action.get();
            } catch (RuntimeException e) {
                store.delete(db.dsl(), hash);
                throw e;
            }
            store.setResult(db.dsl(), hash, result);
            return Optional.of(result);
        }
        for (int i = 0; i < WAIT_STEPS; i++) {
            Optional<Optional<String>> found = store.result(db.dsl(), hash);
            if (found.isEmpty()) return Optional.empty();
            if (found.get().isPresent()) return found.get();
            try {
                Thread.sleep(WAIT_STEP_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private boolean claim(WebSession session, String hash) {
        try {
            db.tx(tx -> {
                store.insert(tx, hash, session.idHash(), clock.instant());
                return null;
            });
            return true;
        } catch (DataAccessException e) {
            // 23505: the token is in the table already, from an earlier POST on this node or another.
            if ("23505".equals(e.sqlState())) return false;
            throw e;
        }
    }
}
