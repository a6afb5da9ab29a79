package tollgate.staff;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;

/** SQL for staff_invitations (V29): found by the SHA-256 of the link's token, never by the token. */
public final class StaffInvitationStore {
    private static final String COLUMNS = "id, email, role, invited_by, created_at, expires_at";

    public void insert(DSLContext db, String tenantId, String tokenHash, StaffInvitation i) {
        db.execute("insert into staff_invitations (token_hash, id, tenant_id, email, email_key, role, invited_by, created_at, expires_at) "
                        + "values (?, ?, ?, ?, ?, ?, ?, ?, ?)", tokenHash, i.id(), tenantId, i.email(), StaffMember.emailKey(i.email()),
                i.role().wire(), i.invitedBy(), i.createdAt(), i.expiresAt());
    }

    /** Ends the open invitations of an address (a new one replaces them). */
    public void endFor(DSLContext db, String tenantId, String email, Instant at) {
        db.execute("update staff_invitations set used_at = ? where tenant_id = ? and email_key = ? and used_at is null", at, tenantId,
                StaffMember.emailKey(email));
    }

    public void end(DSLContext db, String tenantId, String id, Instant at) {
        db.execute("update staff_invitations set used_at = ? where tenant_id = ? and id = ? and used_at is null", at, tenantId, id);
    }

    /** The open invitation of this token, locked (two tabs accepting it wait for each other; the second finds it used). */
    public Optional<StaffInvitation> lockOpen(DSLContext db, String tenantId, String tokenHash, Instant now) {
        return db.fetchOptional("select " + COLUMNS + " from staff_invitations where tenant_id = ? and token_hash = ? "
                + "and used_at is null and expires_at > ? for update", tenantId, tokenHash, now).map(StaffInvitationStore::invitation);
    }

    public Optional<String> tenantOf(DSLContext db, String tokenHash) {
        return db.fetchOptional("select tenant_id from staff_invitations where token_hash = ?", tokenHash).map(r -> r.get(0, String.class));
    }

    public List<StaffInvitation> open(DSLContext db, String tenantId, Instant now, int limit) {
        return db.fetch("select " + COLUMNS + " from staff_invitations where tenant_id = ? and used_at is null and expires_at > ? "
                + "order by created_at desc limit ?", tenantId, now, limit).map(StaffInvitationStore::invitation);
    }

    private static StaffInvitation invitation(Record r) {
        return new StaffInvitation(r.get("id", String.class), r.get("email", String.class),
                StaffRole.parse(r.get("role", String.class)).orElseThrow(), r.get("invited_by", String.class),
                r.get("created_at", Instant.class), r.get("expires_at", Instant.class));
    }
}
