package tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tollgate.Config;
import tollgate.Tollgate;
import tollgate.tenants.Tenant;
import tollgate.testing.TestClocks;

class CliTest {
    @TempDir
    Path dataDir;

    private String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Cli.run(args, Map.of("TOLLGATE_DATA_DIR", dataDir.toString()), new PrintStream(out, true, StandardCharsets.UTF_8));
        return code + "\n" + out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void migrateRunsTheMigrationsAloneOnAnH2FileUnderTheDataDirectory() {
        String first = run("migrate");
        // Any positive count: each capability adds its own migration, so the number grows.
        assertThat(first).startsWith("0\n").containsPattern("Migrations applied: [1-9]\\d*\n");
        assertThat(Files.exists(dataDir.resolve("tollgate.mv.db"))).isTrue();
        assertThat(run("migrate")).contains("Migrations applied: 0");
    }

    @Test
    void tenantCreatePrintsAKeyOnceThatThenAuthenticates() {
        String out = run("tenant", "create", "--name", "Hosting Co", "--mode", "live");
        assertThat(out).startsWith("0\n").contains("mode:   live");
        Matcher key = Pattern.compile("tg_live_[A-Za-z0-9]{32}").matcher(out);
        assertThat(key.find()).isTrue();
        Config config = Config.fromEnvironment(Map.of("TOLLGATE_DATA_DIR", dataDir.toString()));
        try (Tollgate app = Tollgate.build(config, TestClocks.SYSTEM)) {
            Tenant tenant = app.tenants.authenticate(key.group()).orElseThrow();
            assertThat(tenant.name()).isEqualTo("Hosting Co");
            assertThat(tenant.mode()).isEqualTo(Tenant.Mode.LIVE);
        }
    }

    @Test
    void tenantCreateWithASlugThatIsTakenOrMalformedCreatesNoTenant() {
        assertThat(run("tenant", "create", "--name", "Acme", "--slug", "acme")).startsWith("0\n").contains("portal: /portal/acme/");
        assertThat(run("tenant", "create", "--name", "Copycat", "--slug", "acme")).startsWith("1\n");
        assertThat(run("tenant", "create", "--name", "Shouty", "--slug", "Bad Slug!")).startsWith("1\n");
        Config config = Config.fromEnvironment(Map.of("TOLLGATE_DATA_DIR", dataDir.toString()));
        try (Tollgate app = Tollgate.build(config, TestClocks.SYSTEM)) {
            assertThat(app.db.dsl().fetchOne("select count(*) from tenants").get(0, Integer.class)).as("only Acme").isEqualTo(1);
            assertThat(app.tenants.bySlug("acme").map(Tenant::name)).contains("Acme");
        }
    }

    /** Exit code, then what was printed to stderr. */
    private String runErr(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(args, Map.of("TOLLGATE_DATA_DIR", dataDir.toString()), new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return code + "\n" + err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void tenantCreateTakesTheNamesTheApiTakesAndSaysWhyNotInOneLine() {
        // As POST /v1/tenant: at most 200 characters, no control or text-direction character. 301 printed the SQL and
        // H2's "value too long"; a tab or U+202E were stored.
        assertThat(runErr("tenant", "create", "--name", "a".repeat(201)))
                .isEqualTo("1\ntollgate: '--name' is longer than 200 characters\n");
        for (String name : java.util.List.of("a\tb", "a\u202Eb", "a\nb"))
            assertThat(runErr("tenant", "create", "--name", name)).as(name)
                    .isEqualTo("1\ntollgate: '--name' holds a control or text-direction character; type it on one line, as it should print\n");
        assertThat(runErr("tenant", "create", "--name", " ")).isEqualTo("1\ntollgate: '--name' must not be blank\n");
        assertThat(dataDir.resolve("tollgate.mv.db")).as("refused before the database is opened").doesNotExist();
        assertThat(run("tenant", "create", "--name", "b".repeat(200))).startsWith("0\n");
        // The service refuses them too, whoever calls it.
        try (Tollgate app = Tollgate.build(Config.fromEnvironment(Map.of("TOLLGATE_DATA_DIR", dataDir.toString())), TestClocks.SYSTEM)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> app.tenants.create("a\u202Eb", Tenant.Mode.TEST, "rtl"))
                    .isInstanceOf(tollgate.core.Problem.class).hasMessage("'name' holds a control or text-direction character; type it on one line, as it should print");
            assertThat(app.tenants.bySlug("rtl")).isEmpty();
        }
    }

    @Test
    void staffCreateTakesTheNamesTheConsoleTakesAndSaysWhyNotInOneLine() {
        assertThat(run("tenant", "create", "--name", "Hosting Co", "--slug", "hosting")).startsWith("0\n");
        assertThat(runErr("staff", "create", "--tenant", "hosting", "--email", "a@hosting.example", "--name", "a".repeat(201)))
                .isEqualTo("1\ntollgate: Enter a name of 1 to 200 characters\n");
        for (String name : java.util.List.of("a\tb", "a\u202Eb"))
            assertThat(runErr("staff", "create", "--tenant", "hosting", "--email", "a@hosting.example", "--name", name)).as(name)
                    .isEqualTo("1\ntollgate: Enter the name on one line, without control or text-direction characters\n");
        Config config = Config.fromEnvironment(Map.of("TOLLGATE_DATA_DIR", dataDir.toString()));
        try (Tollgate app = Tollgate.build(config, TestClocks.SYSTEM)) {
            assertThat(app.staff.list(app.tenants.bySlug("hosting").orElseThrow())).isEmpty();
        }
    }

    @Test
    void everyCommandAnswersHelpAndSaysPlainlyWhatIsWrong() throws Exception {
        for (String[] command : java.util.List.of(new String[] {"migrate", "--help"}, new String[] {"tenant", "create", "--help"},
                new String[] {"emails", "preview", "--help"}, new String[] {"backup", "--help"}))
            assertThat(run(command)).as(String.join(" ", command)).startsWith("0\n").contains("Usage: tollgate");
        Path file = Files.writeString(dataDir.resolve("notes.txt"), "x");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(new String[] {"emails", "preview", "--out", file.toString()}, Map.of(), new PrintStream(new ByteArrayOutputStream(),
                true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8).trim()).isEqualTo("tollgate: " + file + " is a file: --out names a folder (made when missing)");
    }

    @Test
    void aFileThatCannotBeWrittenIsSaidWithWhatAndWhy() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "a Linux /proc, where nothing can be made");
        // Each printed the path alone: "tollgate: /proc/x.zip.partial", "tollgate: /proc/x".
        assertThat(run("migrate")).startsWith("0\n");
        assertThat(runErr("backup", "--to", "/proc/x.zip"))
                .isEqualTo("1\ntollgate: cannot write /proc/x.zip.partial: no such file or directory\n");
        assertThat(runErr("emails", "preview", "--out", "/proc/x"))
                .isEqualTo("1\ntollgate: cannot create the folder /proc/x: no such file or directory\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(new String[] {"migrate"}, Map.of("TOLLGATE_DATA_DIR", "/proc/d"), new PrintStream(new ByteArrayOutputStream(),
                true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code + "\n" + err.toString(StandardCharsets.UTF_8))
                .isEqualTo("1\ntollgate: cannot create the data directory /proc/d: no such file or directory\n");
    }

    @Test
    void staffCreatePrintsAnOwnersPasswordOnceStoredOnlyHashed() {
        Matcher key = Pattern.compile("tg_test_[A-Za-z0-9]{32}").matcher(run("tenant", "create", "--name", "Hosting Co", "--mode", "test"));
        assertThat(key.find()).isTrue();
        Config config = Config.fromEnvironment(Map.of("TOLLGATE_DATA_DIR", dataDir.toString()));
        String tenantId;
        try (Tollgate app = Tollgate.build(config, TestClocks.SYSTEM)) {
            tenantId = app.tenants.authenticate(key.group()).orElseThrow().id();
        }
        String out = run("staff", "create", "--tenant", tenantId, "--email", "Boss@Hosting.example");
        assertThat(out).startsWith("0\n").contains("(owner) of Hosting Co").contains("console:   /console/login?workspace=");
        Matcher password = Pattern.compile("password \\(shown once; change it after signing in\\): (\\S{24})\n").matcher(out);
        assertThat(password.find()).as(out).isTrue();
        try (Tollgate app = Tollgate.build(config, TestClocks.SYSTEM)) {
            Tenant tenant = app.tenants.bySlug(tenantId).orElseThrow();
            tollgate.staff.StaffMember owner = app.staff.byEmail(tenant, "boss@hosting.example").orElseThrow();
            assertThat(owner.role()).isEqualTo(tollgate.staff.StaffRole.OWNER);
            assertThat(owner.name()).isEqualTo("Boss");
            assertThat(owner.passwordHash()).startsWith("$argon2id$").doesNotContain(password.group(1));
            assertThat(tollgate.web.Passwords.verify(password.group(1), owner.passwordHash())).isTrue();
        }
        // The same address twice, an unknown role or an unknown tenant: a plain refusal, nobody made.
        assertThat(run("staff", "create", "--tenant", tenantId, "--email", "boss@hosting.example")).startsWith("1\n");
        assertThat(run("staff", "create", "--tenant", tenantId, "--email", "x@hosting.example", "--role", "god")).startsWith("1\n");
        assertThat(run("staff", "create", "--tenant", "no_such_tenant", "--email", "x@hosting.example")).startsWith("1\n");
        try (Tollgate app = Tollgate.build(config, TestClocks.SYSTEM)) {
            assertThat(app.staff.list(app.tenants.bySlug(tenantId).orElseThrow())).hasSize(1);
        }
    }

    /** A tenant with a portal slug is named by its slug or by its id (its id was refused once it had a slug). */
    @Test
    void staffCreateFindsATenantWithASlugByItsIdToo() {
        Matcher key = Pattern.compile("tg_test_[A-Za-z0-9]{32}").matcher(run("tenant", "create", "--name", "Sloped Co", "--mode", "test",
                "--slug", "sloped"));
        assertThat(key.find()).isTrue();
        String tenantId;
        try (Tollgate app = Tollgate.build(Config.fromEnvironment(Map.of("TOLLGATE_DATA_DIR", dataDir.toString())), TestClocks.SYSTEM)) {
            tenantId = app.tenants.authenticate(key.group()).orElseThrow().id();
        }
        assertThat(run("staff", "create", "--tenant", tenantId, "--email", "one@sloped.example"))
                .startsWith("0\n").contains("workspace: sloped");
        assertThat(run("staff", "create", "--tenant", "sloped", "--email", "two@sloped.example")).startsWith("0\n");
    }

    @Test
    void anUnknownModeIsRefusedWithAPlainMessage() {
        assertThat(run("tenant", "create", "--name", "X", "--mode", "production")).startsWith("1\n");
    }

    @Test
    void checkStartsAnswersHealthAndStops() {
        assertThat(run("check")).startsWith("0\n").contains("GET /health -> 200");
    }

    @Test
    void configurationComesFromTheEnvironment() {
        Config c = Config.fromEnvironment(Map.of("TOLLGATE_PORT", "9090", "TOLLGATE_DATABASE_URL", "jdbc:postgresql://db/x",
                "TOLLGATE_BOOTSTRAP_KEY", "tg_test_abcdefghijklmnop1234"));
        assertThat(c.port()).isEqualTo(9090);
        assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://db/x");
        assertThat(c.bootstrapKey()).isEqualTo("tg_test_abcdefghijklmnop1234");
        Config defaults = Config.fromEnvironment(Map.of());
        assertThat(defaults.port()).isEqualTo(8080);
        assertThat(defaults.jdbcUrl()).startsWith("jdbc:h2:file:").contains("/data/tollgate");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Config.fromEnvironment(Map.of("TOLLGATE_DATABASE_URL", "mysql://x")))
                .hasMessageContaining("jdbc:postgresql://");
    }
}
