package tollgate.accounts;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import tollgate.core.Database;
import tollgate.parties.Company;
import tollgate.parties.CompanyDetails;
import tollgate.core.Ids;
import tollgate.core.Problem;
import tollgate.tenants.Ctx;
import tollgate.tenants.Tenant;
import tollgate.tenants.TenantClock;

/**
 * The portal's users of an account: signing up opens the account (through {@link Accounts}, as the API does) and its
 * first user, the {@code owner}, in one transaction. Passwords arrive already hashed: hashing is web/Passwords' job.
 */
public final class PortalUsers {
    private final Database db;
    private final PortalUserStore store;
    private final Accounts accounts;
    private final TenantClock clock;

    public PortalUsers(Database db, PortalUserStore store, Accounts accounts, TenantClock clock) {
        this.db = db;
        this.store = store;
        this.accounts = accounts;
        this.clock = clock;
    }

    /** What sign-up asks for, besides the password. */
    public record SignUp(String company, String contactName, String email, String currency, String timezone, Company details) {}

    public record SignedUp(Account account, PortalUser owner) {}

    /** Opens the account and its owner; 409 {@code email_taken} (field {@code email}) when the address has a user here. */
    public SignedUp signUp(Tenant tenant, SignUp s, String passwordHash) {
        return db.tx(tx -> {
            if (s.email() != null && store.emailTaken(tx, tenant.id(), s.email()))
                throw new Problem(409, "email_taken", "An account with this email already exists: log in instead", "email");
            CompanyDetails.requireText("contact_name", s.contactName(), 200);
            Account account = accounts.open(new tollgate.tenants.Ctx(tx, tenant, clock.now(tx, tenant)), s.company(), s.email(), s.currency(), s.timezone(), s.details(), null);
            Instant now = clock.now(tx, tenant);
            PortalUser owner = new PortalUser(Ids.next("pusr"), account.id(), s.email().strip(), s.contactName().strip(),
                    PortalUser.Role.OWNER, passwordHash, true, false, now);
            try {
                store.insert(tx, tenant.id(), owner);
            } catch (org.jooq.exception.IntegrityConstraintViolationException e) {
                // The same sign-up sent twice at once (a double click): both passed the check above, the unique index
                // on (tenant, email) decided; the second is refused as any duplicate is, and its account rolls back.
                throw new Problem(409, "email_taken", "An account with this email already exists: log in instead", "email");
            }
            return new SignedUp(account, owner);
        });
    }

    /** The user who would sign in with this address (active or not: the caller decides what it may do). */
    public Optional<PortalUser> byEmail(Tenant tenant, String email) {
        return email == null || email.isBlank() ? Optional.empty() : store.findByEmail(db.dsl(), tenant.id(), email);
    }

    public Optional<PortalUser> get(Tenant tenant, String userId) {
        return store.find(db.dsl(), tenant.id(), userId);
    }

    /** Marks the user's address confirmed without a link (the demo user of a first start). */
    public void markVerified(Tenant tenant, String userId) {
        store.setVerified(db.dsl(), tenant.id(), userId);
    }

    /** The account's users (an account has a handful; 200 at most are shown). */
    public List<PortalUser> list(Tenant tenant, String accountId) {
        return store.listOf(db.dsl(), tenant.id(), accountId, 200);
    }

    /**
     * Changes a user's role (decision 037): only owners and admins manage users; an admin neither makes owners nor
     * changes an owner; the last active owner of an account stays an owner. 404 for another account's user.
     */
    public PortalUser changeRole(Tenant tenant, PortalUser actor, String userId, PortalUser.Role role) {
        return db.tx(tx -> {
            PortalUser target = managed(tx, tenant, actor, userId);
            if (target.role() == role) return target;
            if (actor.role() != PortalUser.Role.OWNER && role == PortalUser.Role.OWNER)
                throw new Problem(403, "role_not_allowed", "Only an owner can make another user an owner", "role");
            if (target.role() == PortalUser.Role.OWNER && target.active()
                    && store.countActive(tx, tenant.id(), target.accountId(), PortalUser.Role.OWNER) <= 1)
                throw new Problem(409, "last_owner", "An account keeps at least one active owner: make another user owner first", "role");
            store.setRole(tx, tenant.id(), target.id(), role);
            return store.find(tx, tenant.id(), target.id()).orElseThrow();
        });
    }

    /** Deactivates (or reactivates) a user: a deactivated user cannot sign in and its sessions end (the caller's job). */
    public PortalUser setActive(Tenant tenant, PortalUser actor, String userId, boolean active) {
        return db.tx(tx -> {
            PortalUser target = managed(tx, tenant, actor, userId);
            if (target.active() == active) return target;
            if (!active && target.id().equals(actor.id()))
                throw new Problem(409, "cannot_deactivate_self", "You cannot deactivate yourself", "user");
            if (!active && target.role() == PortalUser.Role.OWNER
                    && store.countActive(tx, tenant.id(), target.accountId(), PortalUser.Role.OWNER) <= 1)
                throw new Problem(409, "last_owner", "An account keeps at least one active owner", "user");
            store.setActive(tx, tenant.id(), target.id(), active);
            PortalUser changed = store.find(tx, tenant.id(), target.id()).orElseThrow();
            seatsChanged(tx, tenant, target.accountId());
            return changed;
        });
    }

    /** The target of a management action, locked: the actor must manage users of the same account. */
    private PortalUser managed(DSLContext tx, Tenant tenant, PortalUser actor, String userId) {
        if (!actor.managesUsers()) throw new Problem(403, "forbidden", "Only owners and admins manage users", null);
        PortalUser target = store.lock(tx, tenant.id(), userId).filter(u -> u.accountId().equals(actor.accountId()))
                .orElseThrow(() -> Problem.notFound("portal_user", userId));
        if (actor.role() != PortalUser.Role.OWNER && target.role() == PortalUser.Role.OWNER)
            throw new Problem(403, "role_not_allowed", "Only an owner can change another owner", "role");
        return target;
    }

    /**
     * Told, inside the transaction, when an account gains or loses an active user, with the count of its active users
     * now (seats_from: portal_users, decision 039).
     */
    @FunctionalInterface
    public interface SeatListener {
        void activeUsersChanged(Ctx ctx, String accountId, int activeUsers);
    }

    private final List<SeatListener> seatListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public void onSeatsChanged(SeatListener l) {
        seatListeners.add(l);
    }

    /** The account's active users, in the caller's transaction. */
    public int activeCount(DSLContext tx, Tenant tenant, String accountId) {
        return store.countActive(tx, tenant.id(), accountId, null);
    }

    void seatsChanged(DSLContext tx, Tenant tenant, String accountId) {
        if (seatListeners.isEmpty()) return;
        Ctx ctx = new Ctx(tx, tenant, clock.now(tx, tenant));
        int active = activeCount(tx, tenant, accountId);
        for (SeatListener l : seatListeners) l.activeUsersChanged(ctx, accountId, active);
    }

    PortalUserStore store() {
        return store;
    }

    Database db() {
        return db;
    }
}
