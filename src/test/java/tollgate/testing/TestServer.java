package tollgate.testing;

import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import tollgate.Config;
import tollgate.Tollgate;
import tollgate.tenants.Tenant;
import tollgate.tenants.Tenants;

/**
 * One real server per database kind for the whole test run, listening on a free port. Tests isolate
 * themselves by creating tenants of their own, just as two customers of one server are isolated.
 */
public final class TestServer {
    private static final Map<TestDatabase, TestServer> SERVERS = new EnumMap<>(TestDatabase.class);

    public final TestDatabase database;
    public final Tollgate app;
    public final String baseUrl;

    private TestServer(TestDatabase database) {
        this.database = database;
        Config config = new Config(database.freshUrl(), null, null, Path.of("target/test-data"), 0, null);
        this.app = Tollgate.build(config, Clock.systemUTC());
        int port = app.start(0);
        this.baseUrl = "http://127.0.0.1:" + port;
    }

    public static synchronized TestServer on(TestDatabase database) {
        return SERVERS.computeIfAbsent(database, TestServer::new);
    }

    /** A new test-mode tenant and a client holding its key. */
    public ApiClient newTenant() {
        return client(app.tenants.create("Test tenant", Tenant.Mode.TEST));
    }

    public ApiClient newLiveTenant() {
        return client(app.tenants.create("Live tenant", Tenant.Mode.LIVE));
    }

    public ApiClient client(Tenants.Created created) {
        return new ApiClient(baseUrl, created.secretKey(), created.tenant());
    }

    public ApiClient anonymous() {
        return new ApiClient(baseUrl, null, null);
    }

    @Override
    public String toString() {
        return database.name();
    }
}
