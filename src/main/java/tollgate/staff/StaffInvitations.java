package tollgate.staff;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import tollgate.core.Database;
import tollgate.core.Ids;
import tollgate.core.Problem;
import tollgate.tenants.Tenant;
import tollgate.tenants.TenantClock;
import tollgate.web.Tokens;

/**
 * Owners invite staff by email (decision 041), as the portal's invitations work (decision 037): a 256-bit token in the
 * link, only its SHA-256 stored, single use, 7 days on the tenant's clock, a new invitation of an address ends the
 * older ones; the mail goes through the outbox in the same transaction. Accepting creates the member, active.
 */
public final class StaffInvitations {
    public static final Duration VALID = Duration.ofDays(7);

    /** Queues a message to one address about no account (notify's Notifications.enqueueTo with no account). */
    public interface Mail {
        void send(DSLContext tx, Tenant tenant, String template, String recipient, Map<String, Object> data, Instant now);
    }

    private final Database db;
    private final Staff staff;
    private final StaffInvitationStore store;
    private final TenantClock clock;
    private final Mail mail;

    public StaffInvitations(Database db, Staff staff, StaffInvitationStore store, TenantClock clock, Mail mail) {
        this.db = db;
        this.staff = staff;
        this.store = store;
        this.clock = clock;
        this.mail = mail;
    }

    /** What an invitation made: the invitation and its raw token (only in the mail, and for the tests). */
    public record Made(StaffInvitation invitation, String token) {}

    /** Invites {@code email} as {@code role} (admin, support or read_only); only owners may. {@code path} is the link's path. */
    public Made invite(Tenant tenant, StaffMember actor, String email, StaffRole role, String pathPrefix) {
        if (!actor.role().managesStaff()) throw new Problem(403, "forbidden", "Only owners invite staff", null);
        if (role == StaffRole.OWNER) throw new Problem(422, "role_not_allowed", "Invite as admin, support or read only; "
                + "make an owner from the staff list once they have joined", "role");
        Staff.requireEmail(email);
        return db.tx(tx -> {
            if (staff.store().emailTaken(tx, tenant.id(), email))
                throw new Problem(409, "email_taken", "This address is already a member of the staff", "email");
            Instant now = clock.now(tx, tenant);
            store.endFor(tx, tenant.id(), email, now);
            String token = Tokens.random();
            StaffInvitation i = new StaffInvitation(Ids.next("sinv"), email.strip(), role, actor.id(), now, now.plus(VALID));
            store.insert(tx, tenant.id(), Tokens.sha256(token), i);
            mail.send(tx, tenant, "staff_invitation", i.email(), Map.of("inviter", actor.name(), "role", role.label(),
                    "invite_path", pathPrefix + token, "expires_at", i.expiresAt().toString()), now);
            return new Made(i, token);
        });
    }

    /** The tenant of an invitation link (any state), to show its page; empty for an unknown token. */
    public java.util.Optional<String> tenantOf(String token) {
        return token == null || token.length() > 100 ? java.util.Optional.empty() : store.tenantOf(db.dsl(), Tokens.sha256(token));
    }

    /** The invitation of a link while it is open (not used, replaced or expired). */
    public java.util.Optional<StaffInvitation> open(Tenant tenant, String token) {
        return db.tx(tx -> store.lockOpen(tx, tenant.id(), Tokens.sha256(token), clock.now(tx, tenant)));
    }

    /** Accepts: the member is created with the name and password typed; 410 {@code link_gone} once used or expired. */
    public StaffMember accept(Tenant tenant, String token, String name, String passwordHash) {
        return db.tx(tx -> {
            Instant now = clock.now(tx, tenant);
            StaffInvitation i = store.lockOpen(tx, tenant.id(), Tokens.sha256(token), now)
                    .orElseThrow(() -> new Problem(410, "link_gone", "This invitation has expired or was used", null));
            StaffMember m = staff.create(tx, tenant, i.email(), name, i.role(), passwordHash);
            store.end(tx, tenant.id(), i.id(), now);
            return m;
        });
    }

    public List<StaffInvitation> open(Tenant tenant) {
        return store.open(db.dsl(), tenant.id(), clock.now(db.dsl(), tenant), 100);
    }

    /** Withdraws an open invitation; owners only. */
    public void revoke(Tenant tenant, StaffMember actor, String id) {
        if (!actor.role().managesStaff()) throw new Problem(403, "forbidden", "Only owners manage staff", null);
        db.tx(tx -> {
            store.end(tx, tenant.id(), id, clock.now(tx, tenant));
            return null;
        });
    }
}
