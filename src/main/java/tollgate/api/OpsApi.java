package tollgate.api;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import tollgate.core.Database;
import tollgate.core.Problem;

/** Operations: {@code /health} (checks the database), {@code /metrics} (Prometheus), the OpenAPI document. */
public final class OpsApi implements Api {
    /** The one route that answers while the server starts (it says so), rather than waiting at the door. */
    public static final String HEALTH = "/health";

    private final Database db;
    private final PrometheusMeterRegistry registry;
    private final Supplier<byte[]> openApi;
    private final java.util.function.BooleanSupplier ready;
    private final ClientAddresses proxies;

    public OpsApi(Database db, PrometheusMeterRegistry registry, Supplier<byte[]> openApi, java.util.function.BooleanSupplier ready,
                  ClientAddresses proxies) {
        this.db = db;
        this.proxies = proxies;
        this.ready = ready;
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
                Route.get(HEALTH, call -> {
                    // Not ready until migrations and the first tenant are done: a client that waits for 200 then finds
                    // the API whole (no 401 for a bootstrap key that is still being written).
                    if (!ready.getAsBoolean()) return Reply.json(503, Map.of("status", "starting"));
                    if (!db.isHealthy()) throw Problem.databaseUnavailable(); // with Retry-After, as every route says it
                    return Map.of("status", "ok");
                }).open(),
                Route.get("/metrics", call -> Reply.raw("text/plain; version=0.0.4; charset=utf-8", registry.scrape())).open(),
                Route.get("/v1/openapi.json",
                        call -> Reply.raw("application/json", OpenApi.servedFrom(openApi.get(), call.origin(proxies)))).open());
    }
}
