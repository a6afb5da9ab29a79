package tollgate.accounts;

import java.time.Instant;
import java.util.Optional;
import tollgate.core.Database;
import tollgate.parties.Company;
import tollgate.parties.CompanyDetails;
import tollgate.core.Ids;
import tollgate.core.Problem;
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
            Account account = accounts.open(tx, tenant, s.company(), s.email(), s.currency(), s.timezone(), s.details(), null);
            Instant now = clock.now(tx, tenant);
            PortalUser owner = new PortalUser(Ids.next("pusr"), account.id(), s.email().strip(), s.contactName().strip(),
                    PortalUser.Role.OWNER, passwordHash, true, false, now);
            store.insert(tx, tenant.id(), owner);
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
}
