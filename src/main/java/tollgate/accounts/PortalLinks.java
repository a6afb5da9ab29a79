package tollgate.accounts;

import tollgate.parties.CompanyDetails;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import tollgate.core.Database;
import tollgate.core.Ids;
import tollgate.core.Problem;
import tollgate.tenants.Tenant;
import tollgate.tenants.TenantClock;
import tollgate.web.Tokens;
import tollgate.tenants.Ctx;

/**
 * The portal's single-use links (decision 037): invitations, email verification, password reset, and portal sessions
 * opened by the seller's app. A link carries a random 256-bit token; only its SHA-256 is stored. Links expire on the
 * tenant's clock and work once. Mails go through the notify outbox ({@link Outbox}) in the transaction that made the
 * link; their data carries the link as a path ({@code invite_path}), which the composer turns into a URL under
 * TOLLGATE_PUBLIC_URL.
 */
public final class PortalLinks {
    public static final Duration INVITATION = Duration.ofDays(7);
    public static final Duration VERIFICATION = Duration.ofDays(3);
    public static final Duration RESET = Duration.ofMinutes(30);
    public static final Duration SESSION = Duration.ofMinutes(5);

    /** Queues a message to one address about an account (notify's Notifications.enqueueTo). */
    public interface Outbox {
        void send(Ctx ctx, String accountId, String template, String recipient, Map<String, Object> data);
    }

    private final Database db;
    private final PortalUsers users;
    private final PortalUserStore userStore;
    private final PortalTokenStore store;
    private final Accounts accounts;
    private final TenantClock clock;
    private final Outbox outbox;

    public PortalLinks(Database db, PortalUsers users, PortalTokenStore store, Accounts accounts, TenantClock clock, Outbox outbox) {
        this.db = db;
        this.users = users;
        this.userStore = users.store();
        this.store = store;
        this.accounts = accounts;
        this.clock = clock;
        this.outbox = outbox;
    }

    /** A link just made: the raw token (for the URL; never stored) and the stored link. */
    public record Made(String token, PortalToken link) {}

    /**
     * Invites {@code email} to the actor's account with {@code role}: mails a link valid {@link #INVITATION}. A new
     * invitation of the same address replaces the older one. 409 {@code email_taken} when the address already has a
     * user in this tenant's portal; 403 {@code email_unverified} while the actor has not confirmed its own address.
     */
    public Made invite(Tenant tenant, PortalUser actor, String email, PortalUser.Role role, String base) {
        if (!actor.managesUsers()) throw new Problem(403, "forbidden", "Only owners and admins invite users", null);
        if (!actor.emailVerified())
            throw new Problem(403, "email_unverified", "Confirm your own email address before you invite others", "email");
        if (role == PortalUser.Role.OWNER && actor.role() != PortalUser.Role.OWNER)
            throw new Problem(403, "role_not_allowed", "Only an owner can invite an owner", "role");
        return db.tx(tx -> {
            if (userStore.emailTaken(tx, tenant.id(), email))
                throw new Problem(409, "email_taken", "This address already has a user here", "email");
            Instant now = clock.now(tx, tenant);
            store.useInvitations(tx, tenant.id(), actor.accountId(), email, now);
            Made made = make(new Ctx(tx, tenant, now), PortalToken.Purpose.INVITATION, actor.accountId(), null, email.strip(), role,
                    actor.name(), null, now, INVITATION);
            outbox.send(new Ctx(tx, tenant, now), actor.accountId(), "portal_invitation", email.strip(), data("inviter", actor.name(),
                    "invite_path", base + "invitations/" + made.token(), "expires_at", made.link().expiresAt().toString()));
            return made;
        });
    }

    /** The account's open invitations, newest first. */
    public List<PortalToken> openInvitations(Tenant tenant, String accountId) {
        return store.openInvitations(db.dsl(), tenant.id(), accountId, clock.now(db.dsl(), tenant), 200);
    }

    /** Withdraws an open invitation of the actor's account (404 for another account's). */
    public void revokeInvitation(Tenant tenant, PortalUser actor, String invitationId) {
        if (!actor.managesUsers()) throw new Problem(403, "forbidden", "Only owners and admins manage users", null);
        db.tx(tx -> {
            PortalToken t = store.findById(tx, tenant.id(), actor.accountId(), invitationId)
                    .filter(x -> x.purpose() == PortalToken.Purpose.INVITATION)
                    .orElseThrow(() -> Problem.notFound("invitation", invitationId));
            store.use(tx, tenant.id(), t.tokenHash(), clock.now(tx, tenant));
            return null;
        });
    }

    /** The link behind {@code token} if it is of {@code purpose} and still open; empty for unknown, used or expired. */
    public Optional<PortalToken> peek(Tenant tenant, String token, PortalToken.Purpose purpose) {
        if (token == null || token.length() > 100) return Optional.empty();
        Instant now = clock.now(db.dsl(), tenant);
        return store.find(db.dsl(), tenant.id(), Tokens.sha256(token)).filter(t -> t.purpose() == purpose && t.open(now));
    }

    /** Accepts an invitation: the user is created active, its address verified (the link reached it). 410 when gone. */
    public PortalUser accept(Tenant tenant, String token, String name, String passwordHash) {
        return db.tx(tx -> {
            Instant now = clock.now(tx, tenant);
            PortalToken t = redeem(new Ctx(tx, tenant, now), token, PortalToken.Purpose.INVITATION);
            if (userStore.emailTaken(tx, tenant.id(), t.email()))
                throw new Problem(409, "email_taken", "This address already has a user here: log in instead", "email");
            CompanyDetails.requireText("name", name, 200);
            PortalUser u = new PortalUser(Ids.next("pusr"), t.accountId(), t.email(), name.strip(), t.role(), passwordHash, true,
                    true, now);
            userStore.insert(tx, tenant.id(), u);
            users.seatsChanged(tx, tenant, t.accountId());
            return u;
        });
    }

    /** Mails the user a link that confirms its address (at sign-up, or on request). */
    public void sendVerification(Tenant tenant, PortalUser user, String base) {
        if (user.emailVerified()) return;
        db.tx(tx -> {
            Instant now = clock.now(tx, tenant);
            store.useAllOf(tx, tenant.id(), user.id(), PortalToken.Purpose.VERIFICATION, now);
            Made made = make(new Ctx(tx, tenant, now), PortalToken.Purpose.VERIFICATION, user.accountId(), user.id(), user.email(), null, null,
                    null, now, VERIFICATION);
            outbox.send(new Ctx(tx, tenant, now), user.accountId(), "email_verification", user.email(), data("verify_path",
                    base + "verify/" + made.token(), "expires_at", made.link().expiresAt().toString()));
            return null;
        });
    }

    /** Confirms the address of the link's user. 410 when the link is used or expired. */
    public PortalUser verify(Tenant tenant, String token) {
        return db.tx(tx -> {
            PortalToken t = redeem(new Ctx(tx, tenant, clock.now(tx, tenant)), token, PortalToken.Purpose.VERIFICATION);
            userStore.setVerified(tx, tenant.id(), t.userId());
            return userStore.find(tx, tenant.id(), t.userId()).orElseThrow();
        });
    }

    /**
     * Mails a reset link valid {@link #RESET} to the address if an active user has it; does nothing otherwise, and the
     * caller answers the same either way (no enumeration). A new link ends the older ones.
     */
    public void requestReset(Tenant tenant, String email, String base) {
        Optional<PortalUser> user = users.byEmail(tenant, email).filter(PortalUser::active);
        if (user.isEmpty()) return;
        PortalUser u = user.get();
        db.tx(tx -> {
            Instant now = clock.now(tx, tenant);
            store.useAllOf(tx, tenant.id(), u.id(), PortalToken.Purpose.RESET, now);
            Made made = make(new Ctx(tx, tenant, now), PortalToken.Purpose.RESET, u.accountId(), u.id(), u.email(), null, null, null, now, RESET);
            outbox.send(new Ctx(tx, tenant, now), u.accountId(), "password_reset", u.email(), data("reset_path", base + "reset/" + made.token(),
                    "expires_at", made.link().expiresAt().toString()));
            return null;
        });
    }

    /** Sets the new password of the link's user (its address is thereby confirmed). 410 when used or expired. */
    public PortalUser reset(Tenant tenant, String token, String passwordHash) {
        return db.tx(tx -> {
            PortalToken t = redeem(new Ctx(tx, tenant, clock.now(tx, tenant)), token, PortalToken.Purpose.RESET);
            PortalUser u = userStore.find(tx, tenant.id(), t.userId()).filter(PortalUser::active)
                    .orElseThrow(() -> new Problem(410, "link_expired", "This link has expired or was already used", null));
            userStore.setPassword(tx, tenant.id(), u.id(), passwordHash);
            userStore.setVerified(tx, tenant.id(), u.id());
            return userStore.find(tx, tenant.id(), u.id()).orElseThrow();
        });
    }

    /**
     * A portal session for the seller's app (POST /v1/portal_sessions): a link valid {@link #SESSION} that signs the
     * account's first active owner in once. 404 for an unknown account; 409 {@code no_portal_user} when it has no
     * active owner (sign-up or an invitation makes one).
     */
    public Made openSession(Tenant tenant, String accountId, String returnUrl) {
        if (returnUrl != null && !validReturnUrl(returnUrl))
            throw Problem.invalid("return_url", "parameter_invalid", "'return_url' must be an absolute http or https URL");
        return db.tx(tx -> {
            Account account = accounts.get(tenant, accountId);
            PortalUser owner = userStore.firstOwner(tx, tenant.id(), account.id())
                    .orElseThrow(() -> new Problem(409, "no_portal_user", "The account has no active portal owner yet", "account"));
            Instant now = clock.now(tx, tenant);
            return make(new Ctx(tx, tenant, now), PortalToken.Purpose.SESSION, account.id(), owner.id(), null, null, null, returnUrl, now, SESSION);
        });
    }

    /** Uses a portal session link: the user to sign in (still active) and the link (its return URL). 410 when gone. */
    public PortalToken redeemSession(Tenant tenant, String token) {
        return db.tx(tx -> {
            PortalToken t = redeem(new Ctx(tx, tenant, clock.now(tx, tenant)), token, PortalToken.Purpose.SESSION);
            userStore.find(tx, tenant.id(), t.userId()).filter(PortalUser::active)
                    .orElseThrow(() -> new Problem(410, "link_expired", "This link has expired or was already used", null));
            return t;
        });
    }

    /** A return address the seller may give: an absolute http or https URL with a host, at most 2,000 characters. */
    public static boolean validReturnUrl(String url) {
        if (url == null || url.length() > 2000) return false;
        try {
            java.net.URI u = new java.net.URI(url);
            return ("http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme())) && u.getHost() != null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private PortalToken redeem(Ctx ctx, String token, PortalToken.Purpose purpose) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        Instant now = ctx.now();
        Problem gone = new Problem(410, "link_expired", "This link has expired or was already used", null);
        if (token == null || token.isEmpty() || token.length() > 100) throw gone;
        PortalToken t = store.lock(tx, tenant.id(), Tokens.sha256(token)).filter(x -> x.purpose() == purpose).orElseThrow(() -> gone);
        if (!t.open(now) || !store.use(tx, tenant.id(), t.tokenHash(), now)) throw gone;
        return t;
    }

    private Made make(Ctx ctx, PortalToken.Purpose purpose, String accountId, String userId, String email,
                      PortalUser.Role role, String invitedBy, String returnUrl, Instant now, Duration valid) {
        String token = Tokens.random();
        PortalToken t = new PortalToken(Ids.next(purpose == PortalToken.Purpose.SESSION ? "bps" : "ptk"), Tokens.sha256(token),
                purpose, accountId, userId, email, role, invitedBy, returnUrl, now, now.plus(valid), null);
        store.insert(ctx.tx(), ctx.tenantId(), t);
        return new Made(token, t);
    }

    private static Map<String, Object> data(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }
}
