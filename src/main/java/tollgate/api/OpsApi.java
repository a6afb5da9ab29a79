package tollgate.api;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import tollgate.core.Database;
import tollgate.core.Problem;

/** Operations: {@code /health} (checks the database), {@code /metrics} (Prometheus), the OpenAPI document. */
public final class OpsApi {
    private final Database db;
    private final PrometheusMeterRegistry registry;
    private final byte[] openApi;

    public OpsApi(Database db, PrometheusMeterRegistry registry) {
        this.db = db;
        this.registry = registry;
        this.openApi = openApiDocument();
    }

    public List<Route> routes() {
        return List.of(
                Route.get("/health", call -> {
                    if (!db.isHealthy()) throw new Problem(503, "database_unavailable", "The database does not answer", null);
                    return Map.of("status", "ok");
                }).open(),
                Route.get("/metrics", call -> Reply.raw("text/plain; version=0.0.4; charset=utf-8", registry.scrape())).open(),
                Route.get("/v1/openapi.json", call -> Reply.raw("application/json", openApi)).open());
    }

    public static byte[] openApiDocument() {
        try (InputStream in = OpsApi.class.getResourceAsStream("/openapi.json")) {
            if (in == null) throw new IllegalStateException("openapi.json is missing from the build");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
