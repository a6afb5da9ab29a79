package tollgate.cli;

import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;
import tollgate.Config;
import tollgate.Tollgate;
import tollgate.core.Database;
import tollgate.tenants.Tenant;
import tollgate.tenants.Tenants;

/** {@code tollgate serve | migrate | tenant create | staff create | …}; {@code --help} on every command (inherited). */
@Command(name = "tollgate", mixinStandardHelpOptions = true, scope = picocli.CommandLine.ScopeType.INHERIT, version = "tollgate 0.1",
        description = "Self-hosted billing, licensing and dunning engine.",
        subcommands = {Cli.Serve.class, Cli.Migrate.class, Cli.TenantCommand.class, Cli.Check.class, BenchCommand.class,
                EmailCommands.Emails.class, WebhooksCommand.class, StaffCommand.class,
                BackupCommands.Backup.class, BackupCommands.Restore.class, BackupCommands.CheckData.class})
public final class Cli {

    private static volatile java.util.Map<String, String> environment = System.getenv();

    /** The jar's entry point (pom.xml's Main-Class): the CLI depends on {@link Tollgate}, not the reverse. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String[] args) {
        return run(args, System.getenv(), System.out);
    }

    /** Runs a command line with the given environment, printing to {@code out} (tests use this). */
    public static int run(String[] args, java.util.Map<String, String> env, java.io.PrintStream out) {
        return run(args, env, out, System.err);
    }

    /** The same, with the plain messages of failed commands printed to {@code err}. */
    public static int run(String[] args, java.util.Map<String, String> env, java.io.PrintStream out, java.io.PrintStream err) {
        environment = env;
        java.io.PrintStream previous = System.out;
        System.setOut(out);
        try {
            return new CommandLine(new Cli()).setErr(new java.io.PrintWriter(err, true)).setExecutionExceptionHandler((e, cmd, parsed) -> {
                cmd.getErr().println("tollgate: " + said(e));
                return 1;
            }).execute(args);
        } finally {
            System.setOut(previous);
        }
    }

    /**
     * A failed command's message. A file operation's failure not said where it happened is said here: java.nio.file's
     * exceptions name only the file ("tollgate: /proc/x"), and an UncheckedIOException's message holds no reason.
     */
    static String said(Exception e) {
        if (e instanceof java.nio.file.FileSystemException f) return tollgate.core.FileFailure.of(f);
        if (e instanceof java.io.UncheckedIOException u && u.getCause() instanceof java.nio.file.FileSystemException f)
            return u.getMessage() == null || u.getMessage().equals(f.toString()) ? tollgate.core.FileFailure.of(f)
                    : u.getMessage() + ": " + tollgate.core.FileFailure.reason(f);
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** A variable of the environment the command line runs with. */
    static String env(String name) {
        return environment.get(name);
    }

    static Config config() {
        return Config.fromEnvironment(environment);
    }

    /** H2's error for a database file another process holds ("Database may be already in use"). */
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;

    /**
     * An embedded H2 file opens in one process at a time: a command run beside a server on it fails with H2's lock
     * error, which says nothing of what to do. That failure is said plainly; any other is passed on as it was.
     */
    /**
     * Fails fast, and plainly, when the embedded H2 file is held by a running server: one connection of our own answers
     * at once, where a pool would wait out its timeout first.
     */
    static void requireDatabaseFree(Config config) {
        if (config.databaseUrl() != null) return; // PostgreSQL: commands work beside a running server
        config.prepareDataDir(); // 0700 before the probe makes H2's file in a new directory
        try (java.sql.Connection probe = java.sql.DriverManager.getConnection(config.jdbcUrl() + ";TRACE_LEVEL_FILE=0")) {
            probe.isValid(1);
        } catch (java.sql.SQLException e) {
            RuntimeException plain = inUse(new IllegalStateException(e.getMessage(), e), config);
            if (plain.getCause() != e) throw plain;
            // another trouble: the command meets it again and reports it as it always did
        }
    }

    static RuntimeException inUse(RuntimeException e, Config config) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getErrorCode() == H2_DATABASE_ALREADY_OPEN) {
                return new IllegalStateException("the database in " + config.dataDir().toAbsolutePath().normalize()
                        + " is in use by a running server: stop it first, or run Tollgate on PostgreSQL "
                        + "(TOLLGATE_DATABASE_URL), where commands work beside a running server");
            }
        }
        return e;
    }

    @Command(name = "serve", description = "Run the server (H2 under ./data unless TOLLGATE_DATABASE_URL is set).")
    static final class Serve implements Callable<Integer> {
        @Override
        public Integer call() throws InterruptedException {
            Config config = config();
            // A server on an H2 file another holds waited out the pool's 10 s, then printed HikariCP's, Flyway's and H2's
            // text: said at once. A new data directory has no file to hold, and its first start is not slowed by the probe.
            if (java.nio.file.Files.exists(BackupCommands.databaseFile(config.dataDir()))) requireDatabaseFree(config);
            Clock system = Clock.systemUTC();
            Clock clock = Config.clock(environment, system);
            if (clock != system)
                LoggerFactory.getLogger("tollgate.start").warn("TOLLGATE_CLOCK_START: the server's clock starts at {}, not the real time",
                        clock.instant());
            // SIGTERM and Ctrl-C stop the server gracefully and exit 0 (decision 045): a service manager or an orchestrator
            // that sent the signal reads 143 as a crash. Installed before the start, since a supervisor may signal as soon
            // as /health answers or "listening" is printed: a signal during the start stops the server once it has
            // started. Any other way out (System.exit elsewhere, SIGHUP) still closes a started server.
            CountDownLatch signalled = new CountDownLatch(1);
            java.util.concurrent.atomic.AtomicReference<Tollgate> started = new java.util.concurrent.atomic.AtomicReference<>();
            Runnable close = () -> {
                Tollgate running = started.getAndSet(null); // closed once, by whichever comes first
                if (running != null) running.close();
            };
            for (String name : java.util.List.of("TERM", "INT")) {
                try {
                    sun.misc.Signal.handle(new sun.misc.Signal(name), s -> signalled.countDown());
                } catch (IllegalArgumentException e) {
                    // the JVM keeps this signal (-Xrs): the shutdown hook below closes the server instead
                }
            }
            Runtime.getRuntime().addShutdownHook(new Thread(close, "shutdown"));
            Tollgate app = Tollgate.open(config, clock);
            Started first = start(app, config, config.port(), System.out, () -> started.set(app));
            int port = first.port();
            DemoSignIns signIns = first.signIns();
            String host = config.network().host();
            String base = "http://" + (host.equals("0.0.0.0") || host.equals("127.0.0.1") ? "localhost" : host) + ":" + port;
            System.out.println("Tollgate is listening on " + base);
            System.out.println("  API:     " + base + "/v1   (Authorization: Bearer <secret key>)");
            System.out.println("  OpenAPI: " + base + "/v1/openapi.json");
            System.out.println("  Health:  " + base + "/health   Metrics: " + base + "/metrics");
            System.out.println("  Portal:  " + base + "/portal/<tenant slug>/" + (app.tenants.bySlug("demo").isPresent()
                    ? "   (the demo tenant's: " + base + "/portal/demo/)" : ""));
            if (signIns != null) announceLogins(base, signIns.user(), signIns.staff(), config, System.out);
            signalled.await();
            System.out.println("Tollgate is stopping: finishing the requests and jobs in hand");
            close.run();
            System.out.println("Tollgate stopped" + (app.stopTimes() == null ? "" : " (" + app.stopTimes() + ")"));
            return 0;
        }

        /** A started server's port, and the demo's sign-ins when this start made the demo tenant (else null). */
        record Started(int port, DemoSignIns signIns) {}

        /**
         * Starts the web server on {@code port} as every start does (decision 081). The first tenant is start-up work,
         * announced to {@code out}: /health says "starting" until it exists. Then {@code started} runs. The demo's
         * sign-ins come after that, since hashing their passwords takes a cold process ~0.3 s, and nobody can use them
         * before the caller writes their passwords out.
         */
        static Started start(Tollgate app, Config config, int port, java.io.PrintStream out, Runnable started) {
            java.util.concurrent.atomic.AtomicReference<Tenants.Created> demo = new java.util.concurrent.atomic.AtomicReference<>();
            int listening = app.start(port, () -> firstStart(app.tenants, config, out).ifPresent(created -> {
                announce(created, config, out);
                if (config.bootstrapKey() == null) demo.set(created);
            }));
            started.run();
            return new Started(listening, demo.get() == null ? null : demoSignIns(app, demo.get().tenant()));
        }

        /** The name of the file, in the data directory, that holds the first tenant's full secret key. */
        static final String FIRST_KEY_FILE = "first-tenant.key";

        /**
         * The first tenant's key is not printed whole (start-up output ends up in logs and CI transcripts): its prefix and
         * last four characters are, and the whole key is written to a file in the data directory, readable by the
         * server's user only (created 0600). The operator reads it, stores it, and deletes the file.
         */
        static void announce(Tenants.Created created, Config config, java.io.PrintStream out) {
            String key = created.secretKey();
            out.println("Created " + created.tenant().mode().wire() + " tenant '" + created.tenant().name() + "'.");
            String masked = key.substring(0, key.indexOf('_', 3) + 1) + "…" + key.substring(key.length() - 4);
            java.nio.file.Path file = config.dataDir().resolve(FIRST_KEY_FILE);
            try {
                config.prepareDataDir();
                java.nio.file.Files.deleteIfExists(file); // a key of an earlier, emptied database says nothing now
                Config.writePrivately(file, key + "\n");
                out.println("  secret key: " + masked + " (the whole key is in " + file + ", readable by you only: store it, then delete the file)");
            } catch (java.io.IOException | RuntimeException e) {
                // No file: the key is lost unless shown, so it is shown (the start must stay usable for a newcomer).
                out.println("  secret key (shown once, could not write " + file + "): " + key);
            }
        }

        /** The demo portal user of a first start: who to log in as; its password goes to a private file, and is stored hashed. */
        record DemoUser(String email, String password) {}

        /** Where the first start writes the demo's sign-ins (the portal's customer, the console's owner), beside the key. */
        static final String FIRST_LOGINS_FILE = "first-logins.txt";

        /**
         * The demo's sign-ins: their addresses and emails printed; their passwords written to {@link #FIRST_LOGINS_FILE},
         * readable by the server's user only, as the key is (start-up output ends up in logs, and a console owner may make
         * API keys). Printed only when the file cannot be written, so that a newcomer can still sign in.
         */
        static void announceLogins(String base, DemoUser user, StaffCommand.Created staff, Config config, java.io.PrintStream out) {
            String portal = base + "/portal/demo/login";
            String console = base + "/console/login?workspace=demo";
            String text = "Demo portal: " + portal + "\n  email: " + user.email() + "\n  password: " + user.password() + "\n"
                    + "Console: " + console + "\n  email: " + staff.member().email() + "\n  password: " + staff.password() + "\n";
            java.nio.file.Path file = config.dataDir().resolve(FIRST_LOGINS_FILE);
            boolean written;
            try {
                config.prepareDataDir();
                java.nio.file.Files.deleteIfExists(file); // an earlier, emptied database's sign-ins say nothing now
                written = Config.writePrivately(file, text);
            } catch (java.io.IOException | RuntimeException e) {
                written = false;
            }
            out.println("  Demo portal: " + portal + "   email: " + user.email());
            out.println("  Console:     " + console + "   email: " + staff.member().email());
            if (written) out.println("    their passwords are in " + file + ", readable by you only: sign in, then delete the file");
            else out.println("    passwords (shown once, could not write " + file + "): portal " + user.password() + ", console " + staff.password());
        }

        record DemoSignIns(DemoUser user, StaffCommand.Created staff) {}

        /** The demo tenant's sign-ins: a customer in the portal ({@link #demoPortalUser}) and an owner in the console. */
        static DemoSignIns demoSignIns(Tollgate app, Tenant demo) {
            return new DemoSignIns(demoPortalUser(app, demo),
                    StaffCommand.create(app, demo, "owner@demo.example", "Demo Owner", tollgate.staff.StaffRole.OWNER));
        }

        /**
         * A demo customer account of the demo tenant with its owner (verified, so it can invite), so a newcomer clicks
         * through the portal at once. The password is random (18 characters of base64url) and never stored in clear.
         */
        static DemoUser demoPortalUser(Tollgate app, Tenant demo) {
            String email = "owner@demo-customer.example";
            String password = tollgate.web.Tokens.random().substring(0, 18);
            var company = new tollgate.parties.Company("Demo Customer Ltd", new tollgate.parties.Address("1 Example Street", null,
                    "London", "EC1A 1AA", null, "GB"), null, null);
            var done = app.portalUsers.signUp(demo, new tollgate.accounts.PortalUsers.SignUp("Demo Customer Ltd", "Dana Demo", email,
                    "USD", "UTC", company), tollgate.web.Passwords.hash(password));
            app.portalUsers.markVerified(demo, done.owner().id());
            return new DemoUser(email, password);
        }

        /**
         * The first tenant: the bootstrap key's on an empty database, else a demo tenant. A bootstrap key that a database
         * with tenants does not know is said plainly: it changed nothing, and requests with it will be refused.
         */
        static java.util.Optional<Tenants.Created> firstStart(Tenants tenants, Config config, java.io.PrintStream out) {
            String key = config.bootstrapKey();
            if (key != null) {
                java.util.Optional<Tenants.Created> created = tenants.bootstrap(key);
                if (created.isEmpty() && tenants.authenticate(key).isEmpty()) {
                    String warning = "TOLLGATE_BOOTSTRAP_KEY is ignored: this database has tenants already and none of them owns "
                            + "that key (it only creates the first tenant of an empty database). Use a key printed when a "
                            + "tenant was created, or create one with `tollgate tenant create`.";
                    LoggerFactory.getLogger("tollgate.start").warn(warning);
                    out.println("Warning: " + warning);
                }
                return created;
            }
            if (tenants.anyExist()) return java.util.Optional.empty();
            Tenants.Created demo = tenants.create("Demo", Tenant.Mode.TEST);
            tenants.setSlug(demo.tenant().id(), "demo");
            return java.util.Optional.of(demo);
        }
    }

    @Command(name = "check", description = "Start on a scratch H2 database as serve's first start does (the migrations, the "
            + "demo tenant and its sign-ins), answer GET /health once, stop. The run script records what this start loads, "
            + "which makes later starts fast (decisions 004 and 081).")
    static final class Check implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            java.nio.file.Path scratch = java.nio.file.Files.createTempDirectory("tollgate-check");
            Config config = new Config(null, null, null, scratch, 0, null);
            java.io.PrintStream nowhere = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
            try (Tollgate app = Tollgate.open(config, Clock.systemUTC())) {
                Serve.Started first = Serve.start(app, config, 0, nowhere, () -> {});
                if (first.signIns() == null) throw new IllegalStateException("a scratch database made no demo tenant");
                int port = first.port();
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
            requireDatabaseFree(config);
            try (Database db = Database.open(config.jdbcUrl(), config.databaseUser(), config.databasePassword(), 2)) {
                int ran = db.migrate();
                config.protectDatabaseFiles(); // the owner's only, as a server's start leaves them
                System.out.println("Migrations applied: " + ran);
            } catch (RuntimeException e) {
                throw inUse(e, config);
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

            @Option(names = "--slug", description = "The customer portal's address: /portal/<slug>/ (e.g. acme-hosting).")
            String slug;

            @Override
            public Integer call() {
                Tenant.Mode parsed = Tenant.Mode.parse(mode);
                Tenant.requireName("--name", name); // the API's rule, said before the database is opened
                Config config = config();
                requireDatabaseFree(config);
                try (Tollgate app = Tollgate.build(config, Clock.systemUTC())) {
                    Tenants.Created created = app.tenants.create(name, parsed, slug);
                    System.out.println("tenant: " + created.tenant().id());
                    if (slug != null) System.out.println("portal: /portal/" + slug + "/");
                    System.out.println("mode:   " + created.tenant().mode().wire());
                    System.out.println("secret key (shown once, store it now): " + created.secretKey());
                } catch (RuntimeException e) {
                    throw inUse(e, config);
                }
                return 0;
            }
        }
    }
}
