package tollgate.portal;

import java.util.Optional;
import tollgate.accounts.Account;
import tollgate.accounts.PortalUser;
import tollgate.tenants.Tenant;
import tollgate.web.WebSession;

/**
 * One request to a tenant's portal: the tenant named by the slug, and, when signed in, the session, its user and
 * the user's account. Every page starts from this; {@link #base} is where the portal's links begin.
 */
public record PortalRequest(Tenant tenant, String slug, Optional<WebSession> session, Optional<PortalUser> user,
                            Optional<Account> account) {
    public String base() {
        return "/portal/" + slug + "/";
    }

    public String href(String page) {
        return base() + page;
    }

    public boolean signedIn() {
        return user.isPresent();
    }
}
