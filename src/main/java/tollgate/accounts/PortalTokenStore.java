package tollgate.accounts;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;

/** SQL for the portal's single-use links (V20). Every query is scoped by tenant; links are found by their hash. */
public final class PortalTokenStore {
    private static final String COLUMNS = "id, token_hash, purpose, account_id, user_id, email, role, invited_by, return_url, "
            + "created_at, expires_at, used_at";

    public void insert(DSLContext db, String tenantId, PortalToken t) {
        db.execute("insert into portal_tokens (id, token_hash, tenant_id, purpose, account_id, user_id, email, role, invited_by, "
                        + "return_url, created_at, expires_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                t.id(), t.tokenHash(), tenantId, t.purpose().wire(), t.accountId(), t.userId(), t.email(),
                t.role() == null ? null : t.role().wire(), t.invitedBy(), t.returnUrl(), t.createdAt(), t.expiresAt());
    }

    /** The link, locked for the caller's transaction (two tabs using one link: one wins). */
    public Optional<PortalToken> lock(DSLContext db, String tenantId, String tokenHash) {
        return db.fetchOptional("select " + COLUMNS + " from portal_tokens where tenant_id = ? and token_hash = ? for update",
                tenantId, tokenHash).map(PortalTokenStore::token);
    }

    public Optional<PortalToken> find(DSLContext db, String tenantId, String tokenHash) {
        return db.fetchOptional("select " + COLUMNS + " from portal_tokens where tenant_id = ? and token_hash = ?",
                tenantId, tokenHash).map(PortalTokenStore::token);
    }

    /** Marks the link used; false when another request used it first. */
    public boolean use(DSLContext db, String tenantId, String tokenHash, Instant at) {
        return db.execute("update portal_tokens set used_at = ? where tenant_id = ? and token_hash = ? and used_at is null",
                at, tenantId, tokenHash) == 1;
    }

    /** Ends the open links of one purpose for a user (a new reset link replaces the older ones). */
    public void useAllOf(DSLContext db, String tenantId, String userId, PortalToken.Purpose purpose, Instant at) {
        db.execute("update portal_tokens set used_at = ? where tenant_id = ? and user_id = ? and purpose = ? and used_at is null",
                at, tenantId, userId, purpose.wire());
    }

    /** Ends the open invitations of an address to an account (a new invitation replaces them, revoking one ends it). */
    public void useInvitations(DSLContext db, String tenantId, String accountId, String email, Instant at) {
        db.execute("update portal_tokens set used_at = ? where tenant_id = ? and account_id = ? and purpose = 'invitation' "
                + "and lower(email) = ? and used_at is null", at, tenantId, accountId, PortalUser.emailKey(email));
    }

    /** The account's invitations still open at {@code now}, newest first (at most {@code limit}). */
    public List<PortalToken> openInvitations(DSLContext db, String tenantId, String accountId, Instant now, int limit) {
        return db.fetch("select " + COLUMNS + " from portal_tokens where tenant_id = ? and account_id = ? and purpose = 'invitation' "
                + "and used_at is null and expires_at > ? order by created_at desc, id limit ?", tenantId, accountId, now, limit)
                .map(PortalTokenStore::token);
    }

    public Optional<PortalToken> findById(DSLContext db, String tenantId, String accountId, String id) {
        return db.fetchOptional("select " + COLUMNS + " from portal_tokens where tenant_id = ? and account_id = ? and id = ?",
                tenantId, accountId, id).map(PortalTokenStore::token);
    }

    private static PortalToken token(Record r) {
        String role = r.get("role", String.class);
        return new PortalToken(r.get("id", String.class), r.get("token_hash", String.class),
                PortalToken.Purpose.parse(r.get("purpose", String.class)), r.get("account_id", String.class),
                r.get("user_id", String.class), r.get("email", String.class), role == null ? null : PortalUser.Role.parse(role),
                r.get("invited_by", String.class), r.get("return_url", String.class), r.get("created_at", Instant.class),
                r.get("expires_at", Instant.class), r.get("used_at", Instant.class));
    }
}
