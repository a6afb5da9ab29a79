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
        subcommands = {Cli.Serve.class, Cli.Migrate.class, Cli.TenantCommand.class})
public final class Cli {

    public static int run(String[] args) {
        return new CommandLine(new Cli()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("tollgate: " + e.getMessage());
            return 1;
        }).execute(args);
    }

    static Config config() {
        return Config.fromEnvironment(System.getenv());
    }

    @Command(name = "serve", description = "Run the server (H2 under ./data unless TOLLGATE_DATABASE_URL is set).")
    static final class Serve implements Callable<Integer> {
        @Override
        public Integer call() throws InterruptedException {
            Config config = config();
            Tollgate app = Tollgate.build(config, Clock.systemUTC());
            String base = "http://localhost:" + config.port();
            firstStart(app.tenants, config).ifPresent(created -> {
                System.out.println("Created " + created.tenant().mode().wire() + " tenant '" + created.tenant().name() + "'.");
                System.out.println("  secret key (shown once): " + created.secretKey());
            });
            int port = app.start(config.port());
            base = "http://localhost:" + port;
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
