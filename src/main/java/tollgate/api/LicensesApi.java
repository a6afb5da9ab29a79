package tollgate.api;

import java.util.List;
import tollgate.core.Page;
import tollgate.core.Problem;
import tollgate.core.RateLimiter;
import tollgate.licensing.License;
import tollgate.licensing.LicenseKey;
import tollgate.licensing.Licensing;
import tollgate.tenants.Tenant;

/** Licenses and bundles (SPEC §3, §10), and the two calls sites make with their key alone. */
public final class LicensesApi implements Api {
    private final Licensing licensing;
    private final RateLimiter perKey;
    private final RateLimiter perAddress;
    private final ClientAddresses addresses;

    /** The header that carries a license key, so that it stays out of URLs (and so out of access logs). */
    public static final String KEY_HEADER = "Tollgate-License-Key";
    /** The sites' bodies are a key and a site URL: 8 KiB is plenty, and all a throttled caller can make us read. */
    static final int SITE_BODY_BYTES = 8 * 1024;
    private static final String KEY_THROTTLED = "tollgate.licenses.keyThrottled";

    public LicensesApi(Licensing licensing, RateLimiter perKey, RateLimiter perAddress) {
        this(licensing, perKey, perAddress, ClientAddresses.NONE);
    }

    public LicensesApi(Licensing licensing, RateLimiter perKey, RateLimiter perAddress, ClientAddresses addresses) {
        this.licensing = licensing;
        this.perKey = perKey;
        this.perAddress = perAddress;
        this.addresses = addresses;
    }

    @Override
    public String openApiFragment() {
        return "licenses";
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.post("/v1/accounts/{id}/licenses", this::issue).together(new Route.Together<Licensing.Order>() {
                    @Override
                    public Licensing.Order order(Call call) {
                        Body b = call.body().only("plan", "quantity", "metadata");
                        return licensing.order(call.path("id"), b.string("plan"), b.optInt("quantity"), b.optMetadata("metadata"));
                    }

                    @Override
                    public List<Object> runAll(Tenant tenant, List<Licensing.Order> orders) {
                        return licensing.issueAll(tenant, orders).stream()
                                .map(o -> o.refusal() != null ? (Object) o.refusal() : new Page<>(o.issued(), false)).toList();
                    }
                }),
                Route.get("/v1/accounts/{id}/licenses",
                        call -> licensing.list(call.tenant(), call.path("id"), call.query("status"), call.paging())),
                Route.post("/v1/accounts/{id}/bundles", call -> {
                    Body b = call.body().only("plan", "size");
                    String plan = b.string("plan");
                    return licensing.issueBundle(call.tenant(), call.path("id"), plan, b.optInt("size"));
                }).inOneTransaction(),
                Route.get("/v1/accounts/{id}/bundles", call -> licensing.bundles(call.tenant(), call.path("id"), call.paging())),
                Route.get("/v1/bundles/{id}", call -> licensing.getBundle(call.tenant(), call.path("id"))),
                Route.post("/v1/bundles/{id}/revoke", call -> {
                    call.body().only();
                    return licensing.revokeBundle(call.tenant(), call.path("id"));
                }).inOneTransaction(),
                // The sites' calls come before /v1/licenses/{id} so that "validate" is not taken for an id.
                // Each is throttled per address before its body is read, then per key once the key is known.
                Route.post("/v1/licenses/activate", this::activate).open().quietly().idempotentWithin(this::activationScope)
                        .guarded(this::throttleAddress, SITE_BODY_BYTES),
                Route.get("/v1/licenses/validate", this::validate).open().quietly().guarded(this::throttleAddress, SITE_BODY_BYTES),
                Route.post("/v1/licenses/validate", this::validatePosted).open().quietly().guarded(this::throttleAddress, SITE_BODY_BYTES),
                Route.get("/v1/licenses/{id}", call -> licensing.get(call.tenant(), call.path("id"))),
                Route.post("/v1/licenses/{id}", call -> {
                    java.util.Map<String, String> metadata = call.body().only("metadata").optMetadata("metadata");
                    if (metadata == null) throw Problem.missing("metadata");
                    return licensing.updateMetadata(call.tenant(), call.path("id"), metadata);
                }).inOneTransaction(),
                Route.post("/v1/licenses/{id}/assign", call -> {
                    Body b = call.body().only("site_url");
                    return licensing.assign(call.tenant(), call.path("id"), b.string("site_url"));
                }).inOneTransaction(),
                Route.post("/v1/licenses/{id}/unassign", call -> {
                    call.body().only();
                    return licensing.unassign(call.tenant(), call.path("id"));
                }).inOneTransaction(),
                Route.post("/v1/licenses/{id}/revoke", call -> {
                    call.body().only();
                    return licensing.revoke(call.tenant(), call.path("id"));
                }).inOneTransaction(),
                Route.get("/v1/licenses/{id}/certificate", call -> licensing.certificate(call.tenant(), call.path("id"))),
                Route.get("/v1/license_signing_key", call -> licensing.signingKey(call.tenant())));
    }

    /** A request run on its own (decision 068): as {@link Licensing#issueAll} runs it with others. */
    private Object issue(Call call) {
        Body b = call.body().only("plan", "quantity", "metadata");
        String plan = b.string("plan");
        List<License> issued = licensing.issue(call.tenant(), call.path("id"), plan, b.optInt("quantity"), b.optMetadata("metadata"));
        return new Page<>(issued, false);
    }

    private Object activate(Call call) {
        Body b = call.body().only("key", "site_url");
        String key = keyOf(call, b);
        String site = b.string("site_url");
        throttleKey(call, key);
        return licensing.activateVerdict(key, site);
    }

    /**
     * An {@code Idempotency-Key} on {@code activate} is kept under the tenant that owns the license key, scoped to that
     * license: the key is the credential, so nobody without it can replay or use up another site's keys.
     */
    private tollgate.idempotency.Idempotency.Scope activationScope(Call call) {
        Body b = call.body();
        if (!b.has("key") && call.header(KEY_HEADER) == null) return null;
        String key = keyOf(call, b);
        throttleKey(call, key); // before the database is asked who owns it
        return licensing.ownerOf(key)
                .map(o -> new tollgate.idempotency.Idempotency.Scope(o.tenant(), "activate/" + o.licenseId()))
                .orElse(null);
    }

    /** {@code GET}: the key in the {@code Tollgate-License-Key} header (preferred) or, as before, the query. */
    private Object validate(Call call) {
        String key = call.header(KEY_HEADER);
        if (key == null) key = call.query("key");
        String site = call.query("site_url");
        if (key == null) throw Problem.missing("key");
        if (site == null) throw Problem.missing("site_url");
        return check(call, key, site);
    }

    /** {@code POST} with {@code {key, site_url}} (or the key in the header): the key stays out of URLs and logs. */
    private Object validatePosted(Call call) {
        Body b = call.body().only("key", "site_url");
        return check(call, keyOf(call, b), b.string("site_url"));
    }

    /**
     * A {@code POST}'s key: the body's {@code key} or, when the body has none, the {@code Tollgate-License-Key} header
     * (README: "the key in the body or a header"). Both given must be one key, however each is spelt: two different keys
     * are 422 {@code parameters_exclusive}, as it cannot be told which one the site meant (decision 090).
     */
    private static String keyOf(Call call, Body body) {
        String inBody = body.optString("key");
        String inHeader = call.header(KEY_HEADER);
        if (inBody == null && inHeader == null) throw Problem.missing("key");
        if (inBody == null) return inHeader;
        if (inHeader != null && !sameKey(inBody, inHeader))
            throw new Problem(422, "parameters_exclusive", "Give the key in the body's 'key' or in the " + KEY_HEADER
                    + " header; the two name different keys", "key");
        return inBody;
    }

    private static boolean sameKey(String one, String other) {
        java.util.Optional<String> normal = LicenseKey.normalize(one);
        return normal.isPresent() ? normal.equals(LicenseKey.normalize(other)) : one.strip().equals(other.strip());
    }

    private Object check(Call call, String key, String site) {
        String hash = LicenseKey.hashOf(key);
        if (hash != null) perKeyOrRefuse(hash);
        return licensing.validateHashed(hash, site);
    }

    /** Per client address (guessing keys from one place), before anything else is read. */
    private void throttleAddress(Call call) {
        String client = addresses.client(call.clientAddress(), call.header("X-Forwarded-For"));
        refuseIfWaiting(perAddress.acquire(ClientAddresses.bucket(client)));
    }

    /**
     * Per key (one site calling in a loop), on the normalised key's hash: every way of writing one key shares one
     * bucket. Text that cannot be a key has no bucket (it is answered without the database); once per request.
     */
    private void throttleKey(Call call, String key) {
        if (call.attribute(KEY_THROTTLED) != null) return;
        call.attribute(KEY_THROTTLED, Boolean.TRUE);
        String hash = LicenseKey.hashOf(key);
        if (hash != null) perKeyOrRefuse(hash);
    }

    private void perKeyOrRefuse(String hash) {
        refuseIfWaiting(perKey.acquire(hash));
    }

    private static void refuseIfWaiting(long wait) {
        if (wait > 0) throw Problem.rateLimited(wait, "Too many license checks; retry after " + wait + " s");
    }
}
