package tollgate.testing;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.UnaryOperator;
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
    /** How this server was configured: a second process on the same database uses it too. */
    public final Config config;

    /** Sites' limits high enough that no test but the rate-limit test (which has a server of its own) meets them. */
    public static final Config.SiteLimits GENEROUS = new Config.SiteLimits(10_000, 100_000, 600);

    private TestServer(TestDatabase database) {
        this.database = database;
        this.config = config(database.freshUrl(), GENEROUS);
        this.app = Tollgate.build(config, TestClocks.SYSTEM);
        int port = app.start(0);
        this.baseUrl = "http://127.0.0.1:" + port;
    }

    /** A configuration for a server of the tests: a fresh random encryption key, the given limits. */
    public static Config config(String jdbcUrl, Config.SiteLimits limits) {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return new Config(jdbcUrl, null, null, Path.of("target/test-data"), 0, null,
                java.util.Base64.getEncoder().encodeToString(key), limits);
    }

    /**
     * A server of its own on a fresh database of {@code database}, with the tests' configuration changed by
     * {@code configure} (Stripe pointed at a stub, say), listening on a free port. The caller closes it.
     */
    public static Client start(TestDatabase database, UnaryOperator<Config> configure) {
        Tollgate app = Tollgate.build(configure.apply(config(database.freshUrl(), GENEROUS)), TestClocks.SYSTEM);
        try {
            return new Client(app, app.start(0));
        } catch (RuntimeException e) {
            app.close();
            throw e;
        }
    }

    public static synchronized TestServer on(TestDatabase database) {
        return SERVERS.computeIfAbsent(database, TestServer::new);
    }

    /** A new test-mode tenant and a client holding its key. */
    public ApiClient newTenant() {
        return client(app.tenants.create("Test tenant", Tenant.Mode.TEST));
    }

    /**
     * A new test-mode tenant whose clock stands at {@code start} instead of the run's now, for a scenario written with
     * fixed dates: it then passes whatever day the run's clock starts on. (A tenant's clock is set here directly, as
     * no API moves one backwards; it has no data yet.)
     */
    public ApiClient newTenantAt(java.time.Instant start) {
        ApiClient api = newTenant();
        app.db.tx(tx -> {
            new tollgate.tenants.TenantStore().setTestClock(tx, api.tenant.id(), start);
            return null;
        });
        return api;
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

    /** Clients for a server a test built for itself. */
    public record Client(Tollgate app, int port) implements AutoCloseable {
        public ApiClient anonymous() {
            return new ApiClient("http://127.0.0.1:" + port, null, null);
        }

        /** A new tenant of this server and a client holding its key. */
        public ApiClient newTenant(Tenant.Mode mode) {
            Tenants.Created created = app.tenants.create(mode == Tenant.Mode.TEST ? "Test tenant" : "Live tenant", mode);
            return new ApiClient("http://127.0.0.1:" + port, created.secretKey(), created.tenant());
        }

        @Override
        public void close() {
            app.close();
        }
    }

    @Override
    public String toString() {
        return database.name();
    }
}
