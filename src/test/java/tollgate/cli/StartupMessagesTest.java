package tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tollgate.Config;
import tollgate.Tollgate;
import tollgate.tenants.Tenant;
import tollgate.testing.TestClocks;

/** Issue #10 1.11: what goes wrong at start is said plainly, with what to do. */
class StartupMessagesTest {
    @TempDir
    Path dataDir;

    private record Ran(int code, String out, String err) {}

    private Ran run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Ran(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aLiveBootstrapKeyIsRefusedAtStart() {
        Ran ran = run(Map.of("TOLLGATE_DATA_DIR", dataDir.toString(), "TOLLGATE_BOOTSTRAP_KEY", "tg_live_abcdefghijklmnop1234"), "serve");
        assertThat(ran.code()).isEqualTo(1);
        assertThat(ran.err()).contains("TOLLGATE_BOOTSTRAP_KEY is a live key").contains("test tenant")
                .contains("tollgate tenant create --name N --mode live");
    }

    @Test
    void aChangedBootstrapKeyOnADatabaseWithTenantsIsSaidToBeIgnored() {
        Config first = new Config(null, null, null, dataDir, 8080, "tg_test_firstbootstrapkey123");
        try (Tollgate app = Tollgate.build(first, TestClocks.SYSTEM)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(Cli.Serve.firstStart(app.tenants, first, new PrintStream(out, true, StandardCharsets.UTF_8))).isPresent();
            assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();

            // The same key again: it owns a tenant, nothing to say.
            assertThat(Cli.Serve.firstStart(app.tenants, first, new PrintStream(out, true, StandardCharsets.UTF_8))).isEmpty();
            assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();

            Config changed = new Config(null, null, null, dataDir, 8080, "tg_test_changedbootstrapkey45");
            assertThat(Cli.Serve.firstStart(app.tenants, changed, new PrintStream(out, true, StandardCharsets.UTF_8))).isEmpty();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("TOLLGATE_BOOTSTRAP_KEY is ignored")
                    .contains("has tenants already").contains("tollgate tenant create");
            assertThat(app.tenants.authenticate("tg_test_changedbootstrapkey45")).isEmpty();
        }
    }

    @Test
    void aBootstrapKeyAlwaysMakesATestTenant() {
        Config config = new Config(null, null, null, dataDir, 8080, "tg_test_bootstrapkeyformode1");
        try (Tollgate app = Tollgate.build(config, TestClocks.SYSTEM)) {
            assertThat(app.tenants.bootstrap(config.bootstrapKey()).orElseThrow().tenant().mode()).isEqualTo(Tenant.Mode.TEST);
        }
    }

    @Test
    void tenantCreateAndServeBesideARunningServerOnH2SaySoPlainly() throws Exception {
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), HoldH2.class.getName(), dataDir.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            String line;
            do {
                line = lines.readLine();
            } while (line != null && !line.contains("holding"));
            assertThat(line).as("the second process holds the database").isNotNull();

            Ran ran = run(Map.of("TOLLGATE_DATA_DIR", dataDir.toString()), "tenant", "create", "--name", "Hosting Co");
            assertThat(ran.code()).isEqualTo(1);
            assertThat(ran.err()).contains("is in use by a running server: stop it first, or run Tollgate on PostgreSQL")
                    .doesNotContain("90020").doesNotContain("org.h2");

            // serve waited out the pool's 10 s, then printed HikariCP's and Flyway's text with H2's SQL state 90020.
            long began = System.nanoTime();
            Ran served = run(Map.of("TOLLGATE_DATA_DIR", dataDir.toString(), "TOLLGATE_HOST", "127.0.0.1",
                    "TOLLGATE_PORT", String.valueOf(tollgate.testing.ServerProcess.freePort())), "serve");
            assertThat(served.code()).isEqualTo(1);
            assertThat(served.err().strip()).isEqualTo("tollgate: the database in " + dataDir.toAbsolutePath().normalize()
                    + " is in use by a running server: stop it first, or run Tollgate on PostgreSQL (TOLLGATE_DATABASE_URL), "
                    + "where commands work beside a running server");
            assertThat(served.out()).doesNotContain("Tollgate is listening");
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - began)).as("at once, not after the pool's timeout")
                    .isLessThan(java.time.Duration.ofSeconds(8));
        } finally {
            holder.destroy();
            if (!holder.waitFor(30, TimeUnit.SECONDS)) holder.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
