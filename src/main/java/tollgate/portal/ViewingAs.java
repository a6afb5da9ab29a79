package tollgate.portal;

import io.javalin.http.Context;
import java.util.Comparator;
import java.util.Optional;
import tollgate.accounts.PortalUser;
import tollgate.accounts.PortalUsers;
import tollgate.core.Problem;
import tollgate.tenants.Tenant;
import tollgate.tenants.Tenants;
import tollgate.web.WebSession;
import tollgate.web.WebSessions;

/**
 * Staff viewing a customer's portal as the customer sees it, read only (issue 14 point 3, decision 049). The console
 * starts it: the staff member's browser gets a session of its own audience, {@code portal_view} (cookie
 * {@code tg_portal_view}, Path=/portal/{slug}/, HttpOnly, the portal's idle and absolute limits), naming the account's
 * first active owner (else admin, else member) as the user whose pages are drawn. It is not a customer session: the
 * portal's own sessions ({@code portal}) never accept it, no password or link is made, and the customer's sessions are
 * untouched. While it stands every page carries the read-only strip, its forms are disabled, and every POST but
 * "stop viewing" is refused with the 403 page ({@link Portal}).
 */
public final class ViewingAs {
    public static final String AUDIENCE = "portal_view";

    private final WebSessions sessions;
    private final PortalUsers users;
    private final Tenants tenants;

    public ViewingAs(WebSessions sessions, PortalUsers users, Tenants tenants) {
        this.sessions = sessions;
        this.users = users;
        this.tenants = tenants;
    }

    /** Who the portal is drawn for: an account's first active owner, else admin, else member (oldest first). */
    public Optional<PortalUser> userToViewAs(Tenant tenant, String accountId) {
        return users.list(tenant, accountId).stream().filter(PortalUser::active)
                .min(Comparator.comparing((PortalUser u) -> u.role().ordinal()).thenComparing(PortalUser::createdAt));
    }

    /**
     * Starts viewing the account's portal in this browser; answers the page to open. 409 when the tenant's portal has
     * no address yet or the account has no active portal user (the customer sees no portal then).
     */
    public String start(Context ctx, Tenant tenant, String accountId) {
        String slug = tenants.slugOf(tenant.id()).orElseThrow(() -> Problem.conflict("portal_without_address",
                "The portal has no address yet: set its slug in the settings first"));
        PortalUser user = userToViewAs(tenant, accountId).orElseThrow(() -> Problem.conflict("no_portal_user",
                "This account has no active portal user: the customer has no portal to see yet"));
        sessions.signIn(ctx, tenant.id(), user.id(), base(slug));
        return base(slug) + "dashboard";
    }

    Optional<WebSession> current(Context ctx, String tenantId) {
        return sessions.current(ctx, tenantId);
    }

    void stop(Context ctx, String slug) {
        sessions.signOut(ctx, base(slug));
    }

    private static String base(String slug) {
        return "/portal/" + slug + "/";
    }
}
