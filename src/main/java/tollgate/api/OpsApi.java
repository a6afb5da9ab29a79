package tollgate.api;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import tollgate.core.Database;
import tollgate.core.Problem;

/** Operations: {@code /health} (checks the database), {@code /metrics} (Prometheus), the OpenAPI document. */
public final class OpsApi implements Api {
    private final Database db;
    private final PrometheusMeterRegistry registry;
    private final Supplier<byte[]> openApi;

    public OpsApi(Database db, PrometheusMeterRegistry registry, Supplier<byte[]> openApi) {
        this.db = db;
        this.registry = registry;
        this.openApi = openApi;
    }

    @Override
    public String openApiFragment() {
        return "ops";
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get("/health", call -> {
                    if (!db.isHealthy()) throw new Problem(503, "database_unavailable", "The database does not answer", null);
                    return Map.of("status", "ok");
                }).open(),
                Route.get("/metrics", call -> Reply.raw("text/plain; version=0.0.4; charset=utf-8", registry.scrape())).open(),
                Route.get("/v1/openapi.json",
                        call -> Reply.raw("application/json", OpenApi.servedFrom(openApi.get(), call.origin()))).open());
    }
}
