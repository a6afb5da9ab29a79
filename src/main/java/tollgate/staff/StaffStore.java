package tollgate.staff;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;

/** SQL for staff_users (V29). Every query but the sign-in lookup is scoped by tenant. */
public final class StaffStore {
    private static final String COLUMNS = "id, tenant_id, email, name, role, password_hash, active, totp_enabled, created_at";

    public void insert(DSLContext db, StaffMember m) {
        db.execute("insert into staff_users (id, tenant_id, email, email_key, name, role, password_hash, active, totp_enabled, "
                        + "created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", m.id(), m.tenantId(), m.email(),
                StaffMember.emailKey(m.email()), m.name(), m.role().wire(), m.passwordHash(), m.active(), m.totpEnabled(),
                m.createdAt());
    }

    public boolean emailTaken(DSLContext db, String tenantId, String email) {
        return db.fetchExists(db.selectOne().from("staff_users").where("tenant_id = ? and email_key = ?", tenantId,
                StaffMember.emailKey(email)));
    }

    public Optional<StaffMember> findByEmail(DSLContext db, String tenantId, String email) {
        return db.fetchOptional("select " + COLUMNS + " from staff_users where tenant_id = ? and email_key = ?", tenantId,
                StaffMember.emailKey(email)).map(StaffStore::member);
    }

    public Optional<StaffMember> find(DSLContext db, String tenantId, String id) {
        return db.fetchOptional("select " + COLUMNS + " from staff_users where tenant_id = ? and id = ?", tenantId, id)
                .map(StaffStore::member);
    }

    /** The row locked for a change (role, active, two-factor): two tabs changing it wait for each other. */
    public Optional<StaffMember> lock(DSLContext db, String tenantId, String id) {
        return db.fetchOptional("select " + COLUMNS + " from staff_users where tenant_id = ? and id = ? for update", tenantId, id)
                .map(StaffStore::member);
    }

    /** The tenant's staff, owners first then by address ({@code limit} at most: a team has a handful). */
    public List<StaffMember> list(DSLContext db, String tenantId, int limit) {
        return db.fetch("select " + COLUMNS + " from staff_users where tenant_id = ? order by case role when 'owner' then 0 "
                + "when 'admin' then 1 when 'support' then 2 else 3 end, email_key limit ?", tenantId, limit).map(StaffStore::member);
    }

    public int activeOwners(DSLContext db, String tenantId) {
        return db.fetchValue("select count(*) from staff_users where tenant_id = ? and role = 'owner' and active", tenantId)
                instanceof Number n ? n.intValue() : 0;
    }

    public void setRole(DSLContext db, String tenantId, String id, StaffRole role) {
        db.execute("update staff_users set role = ? where tenant_id = ? and id = ?", role.wire(), tenantId, id);
    }

    public void setActive(DSLContext db, String tenantId, String id, boolean active) {
        db.execute("update staff_users set active = ? where tenant_id = ? and id = ?", active, tenantId, id);
    }

    public void setPassword(DSLContext db, String tenantId, String id, String hash) {
        db.execute("update staff_users set password_hash = ? where tenant_id = ? and id = ?", hash, tenantId, id);
    }

    /** The two-factor state of a member, locked: its sealed secret (null before enrolment), whether on, the last step used. */
    public record TotpState(byte[] sealedSecret, boolean enabled, long lastStep) {}

    public Optional<TotpState> lockTotp(DSLContext db, String tenantId, String id) {
        return db.fetchOptional("select totp_secret, totp_enabled, totp_last_step from staff_users where tenant_id = ? and id = ? "
                + "for update", tenantId, id).map(r -> new TotpState(r.get("totp_secret", byte[].class),
                r.get("totp_enabled", Boolean.class), r.get("totp_last_step", Long.class) == null ? -1 : r.get("totp_last_step", Long.class)));
    }

    public void setTotp(DSLContext db, String tenantId, String id, byte[] sealedSecret, boolean enabled, Long lastStep) {
        db.execute("update staff_users set totp_secret = ?, totp_enabled = ?, totp_last_step = ? where tenant_id = ? and id = ?",
                sealedSecret, enabled, lastStep, tenantId, id);
    }

    public void setLastStep(DSLContext db, String tenantId, String id, long step) {
        db.execute("update staff_users set totp_last_step = ? where tenant_id = ? and id = ?", step, tenantId, id);
    }

    public void replaceRecoveryCodes(DSLContext db, String staffId, List<String> hashes) {
        db.execute("delete from staff_recovery_codes where staff_id = ?", staffId);
        for (String h : hashes) db.execute("insert into staff_recovery_codes (staff_id, code_hash) values (?, ?)", staffId, h);
    }

    /** Marks an unused recovery code used; answers whether there was one. */
    public boolean useRecoveryCode(DSLContext db, String staffId, String hash, Instant at) {
        return db.execute("update staff_recovery_codes set used_at = ? where staff_id = ? and code_hash = ? and used_at is null",
                at, staffId, hash) == 1;
    }

    public int recoveryCodesLeft(DSLContext db, String staffId) {
        return db.fetchValue("select count(*) from staff_recovery_codes where staff_id = ? and used_at is null", staffId)
                instanceof Number n ? n.intValue() : 0;
    }

    static StaffMember member(Record r) {
        return new StaffMember(r.get("id", String.class), r.get("tenant_id", String.class), r.get("email", String.class),
                r.get("name", String.class), StaffRole.parse(r.get("role", String.class)).orElseThrow(),
                r.get("password_hash", String.class), r.get("active", Boolean.class), r.get("totp_enabled", Boolean.class),
                r.get("created_at", Instant.class));
    }
}
