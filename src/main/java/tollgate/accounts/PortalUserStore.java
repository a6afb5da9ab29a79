package tollgate.accounts;

import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;

/** SQL for portal users (V19). Every query is scoped by tenant. */
public final class PortalUserStore {
    private static final String COLUMNS =
            "id, account_id, email, name, role, password_hash, active, email_verified, created_at";

    public void insert(DSLContext db, String tenantId, PortalUser u) {
        db.execute("insert into portal_users (id, tenant_id, account_id, email, email_key, name, role, password_hash, active, "
                        + "email_verified, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                u.id(), tenantId, u.accountId(), u.email(), PortalUser.emailKey(u.email()), u.name(), u.role().wire(),
                u.passwordHash(), u.active(), u.emailVerified(), u.createdAt());
    }

    public boolean emailTaken(DSLContext db, String tenantId, String email) {
        return db.fetchExists(db.selectOne().from("portal_users").where("tenant_id = ? and email_key = ?", tenantId,
                PortalUser.emailKey(email)));
    }

    public Optional<PortalUser> findByEmail(DSLContext db, String tenantId, String email) {
        return db.fetchOptional("select " + COLUMNS + " from portal_users where tenant_id = ? and email_key = ?", tenantId,
                PortalUser.emailKey(email)).map(PortalUserStore::user);
    }

    public Optional<PortalUser> find(DSLContext db, String tenantId, String id) {
        return db.fetchOptional("select " + COLUMNS + " from portal_users where tenant_id = ? and id = ?", tenantId, id)
                .map(PortalUserStore::user);
    }

    /** The account's users, owners first then by name (at most {@code limit}: an account has a handful). */
    public java.util.List<PortalUser> listOf(DSLContext db, String tenantId, String accountId, int limit) {
        return db.fetch("select " + COLUMNS + " from portal_users where tenant_id = ? and account_id = ? "
                + "order by case role when 'owner' then 0 when 'admin' then 1 else 2 end, email_key limit ?", tenantId, accountId, limit)
                .map(PortalUserStore::user);
    }

    public int countActive(DSLContext db, String tenantId, String accountId, PortalUser.Role role) {
        return db.fetchCount(db.selectOne().from("portal_users").where("tenant_id = ? and account_id = ? and active = true"
                + (role == null ? "" : " and role = '" + role.wire() + "'"), tenantId, accountId));
    }

    public void setRole(DSLContext db, String tenantId, String id, PortalUser.Role role) {
        db.execute("update portal_users set role = ? where tenant_id = ? and id = ?", role.wire(), tenantId, id);
    }

    public void setActive(DSLContext db, String tenantId, String id, boolean active) {
        db.execute("update portal_users set active = ? where tenant_id = ? and id = ?", active, tenantId, id);
    }

    public void setPassword(DSLContext db, String tenantId, String id, String passwordHash) {
        db.execute("update portal_users set password_hash = ? where tenant_id = ? and id = ?", passwordHash, tenantId, id);
    }

    public void setVerified(DSLContext db, String tenantId, String id) {
        db.execute("update portal_users set email_verified = true where tenant_id = ? and id = ?", tenantId, id);
    }

    /** The account's first active owner: whom a portal session from the seller's app signs in. */
    public Optional<PortalUser> firstOwner(DSLContext db, String tenantId, String accountId) {
        return db.fetchOptional("select " + COLUMNS + " from portal_users where tenant_id = ? and account_id = ? and role = 'owner' "
                + "and active = true order by created_at, id limit 1", tenantId, accountId).map(PortalUserStore::user);
    }

    /** Locks the user's row for the caller's transaction (role and activity changes of one account go one at a time). */
    public Optional<PortalUser> lock(DSLContext db, String tenantId, String id) {
        return db.fetchOptional("select " + COLUMNS + " from portal_users where tenant_id = ? and id = ? for update", tenantId, id)
                .map(PortalUserStore::user);
    }

    private static PortalUser user(Record r) {
        return new PortalUser(r.get("id", String.class), r.get("account_id", String.class), r.get("email", String.class),
                r.get("name", String.class), PortalUser.Role.parse(r.get("role", String.class)),
                r.get("password_hash", String.class), r.get("active", Boolean.class), r.get("email_verified", Boolean.class),
                r.get("created_at", java.time.Instant.class));
    }
}
