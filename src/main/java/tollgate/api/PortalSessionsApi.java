package tollgate.api;

import java.time.Instant;
import java.util.List;
import tollgate.accounts.PortalLinks;
import tollgate.core.Problem;
import tollgate.tenants.Tenants;

/**
 * Portal sessions for the seller's own app (SPEC §9, as Stripe's billing portal sessions): a one-time URL, valid 5
 * minutes, that signs the account's owner in to the tenant's portal and offers a way back to {@code return_url}.
 */
public final class PortalSessionsApi implements Api {
    private final PortalLinks links;
    private final Tenants tenants;
    private final String publicUrl;

    public PortalSessionsApi(PortalLinks links, Tenants tenants, String publicUrl) {
        this.links = links;
        this.tenants = tenants;
        this.publicUrl = publicUrl;
    }

    /** The answer: the URL carries the only copy of the token; it is not stored and not shown again. */
    public record PortalSession(String id, String object, String account, String user, String url, String return_url,
                                Instant created_at, Instant expires_at) {}

    @Override
    public String openApiFragment() {
        return "portal_sessions";
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.post("/v1/portal_sessions", this::create).inOneTransaction());
    }

    private PortalSession create(Call call) {
        Body b = call.body().only("account", "return_url");
        String account = b.optString("account");
        if (account == null) throw Problem.missing("account");
        String returnUrl = b.optString("return_url");
        PortalLinks.Made made = links.openSession(call.tenant(), account, returnUrl);
        String slug = tenants.slugOf(call.tenant().id()).orElse(call.tenant().id());
        return new PortalSession(made.link().id(), "portal_session", made.link().accountId(), made.link().userId(),
                publicUrl + "/portal/" + slug + "/session/" + made.token(), returnUrl, made.link().createdAt(),
                made.link().expiresAt());
    }
}
