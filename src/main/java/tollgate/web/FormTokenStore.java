package tollgate.web;

import java.time.Instant;
import java.util.Optional;
import org.jooq.DSLContext;

/** SQL for form_tokens (V28): one row per used single-use form token, found by the token's SHA-256. */
public final class FormTokenStore {

    /** Records the token as used; throws a unique violation (23505) when it was used before. */
    public void insert(DSLContext tx, String tokenHash, String sessionHash, Instant at) {
        tx.execute("insert into form_tokens (token_hash, session_hash, used_at) values (?, ?, ?)", tokenHash, sessionHash, at);
    }

    /** The first use's answer: empty when the token is unknown, a row with a null result while the first use works. */
    public Optional<Optional<String>> result(DSLContext db, String tokenHash) {
        return db.fetchOptional("select result from form_tokens where token_hash = ?", tokenHash)
                .map(r -> Optional.ofNullable(r.get(0, String.class)));
    }

    public void setResult(DSLContext db, String tokenHash, String result) {
        db.execute("update form_tokens set result = ? where token_hash = ?", result, tokenHash);
    }

    public void delete(DSLContext db, String tokenHash) {
        db.execute("delete from form_tokens where token_hash = ?", tokenHash);
    }
}
