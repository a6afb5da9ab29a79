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

    private static PortalUser user(Record r) {
        return new PortalUser(r.get("id", String.class), r.get("account_id", String.class), r.get("email", String.class),
                r.get("name", String.class), PortalUser.Role.parse(r.get("role", String.class)),
                r.get("password_hash", String.class), r.get("active", Boolean.class), r.get("email_verified", Boolean.class),
                r.get("created_at", java.time.Instant.class));
    }
}
