package tollgate.portal;

import java.util.Optional;
import tollgate.accounts.Account;
import tollgate.accounts.PortalUser;
import tollgate.tenants.Tenant;
import tollgate.web.WebSession;

/**
 * One request to a tenant's portal: the tenant named by the slug, and, when signed in, the session, its user and
 * the user's account. Every page starts from this; {@link #base} is where the portal's links begin. {@code readOnly}:
 * staff viewing the portal as the customer sees it ({@link ViewingAs}); nothing may change.
 */
public record PortalRequest(Tenant tenant, String slug, Optional<WebSession> session, Optional<PortalUser> user,
                            Optional<Account> account, boolean readOnly) {
    public PortalRequest(Tenant tenant, String slug, Optional<WebSession> session, Optional<PortalUser> user, Optional<Account> account) {
        this(tenant, slug, session, user, account, false);
    }

    public String base() {
        return "/portal/" + slug + "/";
    }

    public String href(String page) {
        return base() + page;
    }

    public boolean signedIn() {
        return user.isPresent();
    }

    /**
     * The gate of the pages only owners and admins reach ({@code manage_users}: Billing, Payment methods, Invoices,
     * Company details, Users): answers this request, or throws the 403 page for a member. Call it first in such a
     * page's handler: {@code PortalRequest req = portal.signedIn(ctx).requireManager();}
     */
    public PortalRequest requireManager() {
        if (user.isEmpty() || !user.get().managesUsers()) throw tollgate.web.WebError.forbidden();
        return this;
    }
}
