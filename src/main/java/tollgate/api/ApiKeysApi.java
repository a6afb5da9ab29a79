package tollgate.api;

import java.util.List;
import tollgate.core.Page;
import tollgate.tenants.ApiKey;
import tollgate.tenants.SecretKeys;

/** {@code /v1/api_keys}: a tenant's secret keys, so that a leaked key can be rotated without downtime. */
public final class ApiKeysApi implements Api {
    private final SecretKeys keys;

    public ApiKeysApi(SecretKeys keys) {
        this.keys = keys;
    }

    @Override
    public String openApiFragment() {
        return "api_keys";
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.post("/v1/api_keys", call -> keys.create(call.tenant(), call.body().only("name").optString("name"))).inOneTransaction(),
                Route.get("/v1/api_keys", call -> Page.newestFirst(keys.list(call.tenant()), call.paging(), ApiKey::id)),
                Route.delete("/v1/api_keys/{id}", call -> DeletedJson.of("api_key", keys.revoke(call.tenant(), call.path("id")).id())));
    }
}
