package tollgate.staff;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import tollgate.core.Database;
import tollgate.core.Ids;
import tollgate.core.Problem;
import tollgate.tenants.Tenant;
import tollgate.tenants.TenantClock;

/**
 * The console's staff of a tenant (decision 041): the first owner comes from the CLI or the first start; owners invite
 * the others (invitations, step B of issue 14). Rules live here, not only in the pages: only owners manage staff, a tenant
 * keeps one active owner, nobody deactivates themselves. Passwords arrive already hashed (web/Passwords).
 */
public final class Staff {
    private final Database db;
    private final StaffStore store;
    private final TenantClock clock;

    public Staff(Database db, StaffStore store, TenantClock clock) {
        this.db = db;
        this.store = store;
        this.clock = clock;
    }

    /** Adds a staff member (the CLI's first owner, an accepted invitation); 409 {@code email_taken} for a known address. */
    public StaffMember create(Tenant tenant, String email, String name, StaffRole role, String passwordHash) {
        return db.tx(tx -> create(tx, tenant, email, name, role, passwordHash));
    }

    StaffMember create(DSLContext tx, Tenant tenant, String email, String name, StaffRole role, String passwordHash) {
        requireEmail(email);
        if (name == null || name.isBlank() || name.length() > 200)
            throw new Problem(422, "parameter_invalid", "Enter a name of 1 to 200 characters", "name");
        if (!tollgate.core.Printable.onOneLine(name))
            throw new Problem(422, "parameter_invalid", "Enter the name on one line, without control or text-direction characters", "name");
        if (store.emailTaken(tx, tenant.id(), email))
            throw new Problem(409, "email_taken", "A staff member with this email already exists", "email");
        StaffMember m = new StaffMember(Ids.next("stf"), tenant.id(), email.strip(), name.strip(), role, passwordHash, true,
                false, clock.now(tx, tenant));
        store.insert(tx, m);
        return m;
    }

    static void requireEmail(String email) {
        if (!tollgate.core.EmailAddress.valid(email))
            throw new Problem(422, "parameter_invalid", "Enter an email address like name@example.com", "email");
    }

    /** The member who would sign in with this address (active or not: the caller decides). */
    public Optional<StaffMember> byEmail(Tenant tenant, String email) {
        return email == null || email.isBlank() ? Optional.empty() : store.findByEmail(db.dsl(), tenant.id(), email);
    }

    public Optional<StaffMember> get(Tenant tenant, String id) {
        return id == null ? Optional.empty() : store.find(db.dsl(), tenant.id(), id);
    }

    /** The tenant's staff (200 at most are shown: a team has a handful). */
    public List<StaffMember> list(Tenant tenant) {
        return store.list(db.dsl(), tenant.id(), 200);
    }

    /** Changes a member's role; only an owner may, and the last active owner stays one (409 {@code last_owner}). */
    public StaffMember changeRole(Tenant tenant, StaffMember actor, String id, StaffRole role) {
        return db.tx(tx -> {
            StaffMember target = managed(tx, tenant, actor, id);
            if (target.role() == role) return target;
            if (target.role() == StaffRole.OWNER && target.active() && store.activeOwners(tx, tenant.id()) <= 1)
                throw new Problem(409, "last_owner", "The workspace keeps at least one active owner: make another member owner first", "role");
            store.setRole(tx, tenant.id(), id, role);
            return store.find(tx, tenant.id(), id).orElseThrow();
        });
    }

    /** Deactivates or reactivates a member; ending their sessions is the caller's job (WebSessions.endAllOf). */
    public StaffMember setActive(Tenant tenant, StaffMember actor, String id, boolean active) {
        return db.tx(tx -> {
            StaffMember target = managed(tx, tenant, actor, id);
            if (target.active() == active) return target;
            if (!active && target.id().equals(actor.id()))
                throw new Problem(409, "cannot_deactivate_self", "You cannot deactivate yourself", "staff");
            if (!active && target.role() == StaffRole.OWNER && store.activeOwners(tx, tenant.id()) <= 1)
                throw new Problem(409, "last_owner", "The workspace keeps at least one active owner", "staff");
            store.setActive(tx, tenant.id(), id, active);
            return store.find(tx, tenant.id(), id).orElseThrow();
        });
    }

    /** The target of a staff change, locked; the actor must be an active owner, the target of the same tenant (else 404). */
    private StaffMember managed(DSLContext tx, Tenant tenant, StaffMember actor, String id) {
        if (!actor.role().managesStaff() || !actor.active())
            throw new Problem(403, "forbidden", "Only owners manage staff", null);
        return store.lock(tx, tenant.id(), id).orElseThrow(() -> Problem.notFound("staff_member", id));
    }

    Instant now(DSLContext tx, Tenant tenant) {
        return clock.now(tx, tenant);
    }

    Database db() {
        return db;
    }

    StaffStore store() {
        return store;
    }
}
