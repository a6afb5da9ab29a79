package tollgate.api;

import java.util.List;
import tollgate.core.Page;
import tollgate.core.Problem;
import tollgate.core.RateLimiter;
import tollgate.licensing.License;
import tollgate.licensing.Licensing;

/** Licenses and bundles (SPEC §3, §10), and the two calls sites make with their key alone. */
public final class LicensesApi implements Api {
    private final Licensing licensing;
    private final RateLimiter perKey;
    private final RateLimiter perAddress;

    public LicensesApi(Licensing licensing, RateLimiter perKey, RateLimiter perAddress) {
        this.licensing = licensing;
        this.perKey = perKey;
        this.perAddress = perAddress;
    }

    @Override
    public String openApiFragment() {
        return "licenses";
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.post("/v1/accounts/{id}/licenses", this::issue),
                Route.get("/v1/accounts/{id}/licenses",
                        call -> licensing.list(call.tenant(), call.path("id"), call.query("status"), call.paging())),
                Route.post("/v1/accounts/{id}/bundles", call -> {
                    Body b = call.body().only("plan", "size");
                    String plan = b.string("plan");
                    return licensing.issueBundle(call.tenant(), call.path("id"), plan, b.optInt("size"));
                }),
                Route.get("/v1/accounts/{id}/bundles", call -> licensing.bundles(call.tenant(), call.path("id"), call.paging())),
                Route.get("/v1/bundles/{id}", call -> licensing.getBundle(call.tenant(), call.path("id"))),
                Route.post("/v1/bundles/{id}/revoke", call -> {
                    call.body().only();
                    return licensing.revokeBundle(call.tenant(), call.path("id"));
                }),
                // The sites' calls come before /v1/licenses/{id} so that "validate" is not taken for an id.
                Route.post("/v1/licenses/activate", this::activate).open().quietly().idempotentWithin(this::activationScope),
                Route.get("/v1/licenses/validate", this::validate).open().quietly(),
                Route.get("/v1/licenses/{id}", call -> licensing.get(call.tenant(), call.path("id"))),
                Route.post("/v1/licenses/{id}", call -> {
                    java.util.Map<String, String> metadata = call.body().only("metadata").optMetadata("metadata");
                    if (metadata == null) throw Problem.missing("metadata");
                    return licensing.updateMetadata(call.tenant(), call.path("id"), metadata);
                }),
                Route.post("/v1/licenses/{id}/assign", call -> {
                    Body b = call.body().only("site_url");
                    return licensing.assign(call.tenant(), call.path("id"), b.string("site_url"));
                }),
                Route.post("/v1/licenses/{id}/unassign", call -> {
                    call.body().only();
                    return licensing.unassign(call.tenant(), call.path("id"));
                }),
                Route.post("/v1/licenses/{id}/revoke", call -> {
                    call.body().only();
                    return licensing.revoke(call.tenant(), call.path("id"));
                }),
                Route.get("/v1/licenses/{id}/certificate", call -> licensing.certificate(call.tenant(), call.path("id"))),
                Route.get("/v1/license_signing_key", call -> licensing.signingKey(call.tenant())));
    }

    private Object issue(Call call) {
        Body b = call.body().only("plan", "quantity", "metadata");
        String plan = b.string("plan");
        List<License> issued = licensing.issue(call.tenant(), call.path("id"), plan, b.optInt("quantity"), b.optMetadata("metadata"));
        return new Page<>("list", issued, false);
    }

    private Object activate(Call call) {
        Body b = call.body().only("key", "site_url");
        String key = b.string("key");
        String site = b.string("site_url");
        throttle(call, key);
        return licensing.activate(key, site);
    }

    /**
     * An {@code Idempotency-Key} on {@code activate} is kept under the tenant that owns the license key, scoped to that
     * license: the key is the credential, so nobody without it can replay or use up another site's keys.
     */
    private tollgate.idempotency.Idempotency.Scope activationScope(Call call) {
        String key = call.body().optString("key");
        if (key == null) return null;
        return licensing.ownerOf(key)
                .map(o -> new tollgate.idempotency.Idempotency.Scope(o.tenant(), "activate/" + o.licenseId()))
                .orElse(null);
    }

    private Object validate(Call call) {
        String key = call.query("key");
        String site = call.query("site_url");
        if (key == null) throw Problem.missing("key");
        if (site == null) throw Problem.missing("site_url");
        throttle(call, key);
        return licensing.validate(key, site);
    }

    /** Per client address first (guessing keys from one place), then per key (one site calling in a loop). */
    private void throttle(Call call, String key) {
        long wait = perAddress.acquire(call.clientAddress());
        if (wait == 0) wait = perKey.acquire(key.length() > 64 ? key.substring(0, 64) : key);
        if (wait > 0) throw Problem.rateLimited(wait, "Too many license checks; retry after " + wait + " s");
    }
}
