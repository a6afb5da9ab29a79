package tollgate.cli;

import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tollgate.Config;
import tollgate.Tollgate;
import tollgate.core.Database;
import tollgate.tenants.Tenant;
import tollgate.tenants.Tenants;

/** {@code tollgate serve | migrate | tenant create}. */
@Command(name = "tollgate", mixinStandardHelpOptions = true, version = "tollgate 0.1",
        description = "Self-hosted billing, licensing and dunning engine.",
        subcommands = {Cli.Serve.class, Cli.Migrate.class, Cli.TenantCommand.class, Cli.Check.class, BenchCommand.class,
                WebhooksCommand.class})
public final class Cli {

    private static volatile java.util.Map<String, String> environment = System.getenv();

    public static int run(String[] args) {
        return run(args, System.getenv(), System.out);
    }

    /** Runs a command line with the given environment, printing to {@code out} (tests use this). */
    public static int run(String[] args, java.util.Map<String, String> env, java.io.PrintStream out) {
        environment = env;
        java.io.PrintStream previous = System.out;
        System.setOut(out);
        try {
            return new CommandLine(new Cli()).setExecutionExceptionHandler((e, cmd, parsed) -> {
                cmd.getErr().println("tollgate: " + e.getMessage());
                return 1;
            }).execute(args);
        } finally {
            System.setOut(previous);
        }
    }

    /** A variable of the environment the command line runs with. */
    static String env(String name) {
        return environment.get(name);
    }

    static Config config() {
        return Config.fromEnvironment(environment);
    }

    @Command(name = "serve", description = "Run the server (H2 under ./data unless TOLLGATE_DATABASE_URL is set).")
    static final class Serve implements Callable<Integer> {
        @Override
        public Integer call() throws InterruptedException {
            Config config = config();
            Tollgate app = Tollgate.open(config, Clock.systemUTC());
            int port = app.start(config.port());
            firstStart(app.tenants, config).ifPresent(created -> {
                System.out.println("Created " + created.tenant().mode().wire() + " tenant '" + created.tenant().name() + "'.");
                System.out.println("  secret key (shown once): " + created.secretKey());
            });
            String base = "http://localhost:" + port;
            System.out.println("Tollgate is listening on " + base);
            System.out.println("  API:     " + base + "/v1   (Authorization: Bearer <secret key>)");
            System.out.println("  OpenAPI: " + base + "/v1/openapi.json");
            System.out.println("  Health:  " + base + "/health   Metrics: " + base + "/metrics");
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                app.close();
                stopped.countDown();
            }, "shutdown"));
            stopped.await();
            return 0;
        }

        private static java.util.Optional<Tenants.Created> firstStart(Tenants tenants, Config config) {
            if (config.bootstrapKey() != null) return tenants.bootstrap(config.bootstrapKey());
            if (tenants.anyExist()) return java.util.Optional.empty();
            return java.util.Optional.of(tenants.create("Demo", Tenant.Mode.TEST));
        }
    }

    @Command(name = "check", description = "Start on a scratch H2 database, answer GET /health once, stop. "
            + "The run script uses it to record the class-data archive that makes later starts fast.")
    static final class Check implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            java.nio.file.Path scratch = java.nio.file.Files.createTempDirectory("tollgate-check");
            Config config = new Config(null, null, null, scratch, 0, null);
            try (Tollgate app = Tollgate.build(config, Clock.systemUTC())) {
                app.tenants.create("Check", Tenant.Mode.TEST);
                int port = app.start(0);
                var client = java.net.http.HttpClient.newHttpClient();
                var response = client.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/health")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                System.out.println("GET /health -> " + response.statusCode() + " " + response.body());
                return response.statusCode() == 200 ? 0 : 1;
            } finally {
                try (var files = java.nio.file.Files.walk(scratch)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    @Command(name = "migrate", description = "Run the database migrations and exit.")
    static final class Migrate implements Callable<Integer> {
        @Override
        public Integer call() {
            Config config = config();
            try (Database db = Database.open(config.jdbcUrl(), config.databaseUser(), config.databasePassword(), 2)) {
                int ran = db.migrate();
                System.out.println("Migrations applied: " + ran);
            }
            return 0;
        }
    }

    @Command(name = "tenant", description = "Manage tenants.", subcommands = TenantCommand.Create.class)
    static final class TenantCommand {
        @Command(name = "create", description = "Create a tenant and print its secret key once.")
        static final class Create implements Callable<Integer> {
            @Option(names = "--name", required = true, description = "The tenant's name.")
            String name;

            @Option(names = "--mode", defaultValue = "test", description = "test or live (default: test).")
            String mode;

            @Override
            public Integer call() {
                Tenant.Mode parsed = Tenant.Mode.parse(mode);
                try (Tollgate app = Tollgate.build(config(), Clock.systemUTC())) {
                    Tenants.Created created = app.tenants.create(name, parsed);
                    System.out.println("tenant: " + created.tenant().id());
                    System.out.println("mode:   " + created.tenant().mode().wire());
                    System.out.println("secret key (shown once, store it now): " + created.secretKey());
                }
                return 0;
            }
        }
    }
}
