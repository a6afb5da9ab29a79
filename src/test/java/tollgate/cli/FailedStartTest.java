package tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tollgate.Config;
import tollgate.Tollgate;
import tollgate.testing.TestClocks;

/**
 * A start that fails once the migrations have begun (here: the port is taken) fails only after they are done. They run
 * beside the web server's start (decision 004); {@code serve} exits on a failed start, and an exit in the middle of one
 * left H2's schema half made — its DDL is not transactional — so that every later start failed on Flyway's "failed
 * migration" (found by following the README on a machine whose port 8080 was taken).
 */
class FailedStartTest {
    @TempDir
    Path dataDir;

    @Test
    void aStartThatCannotListenAnswersOnlyOnceTheNewDatabaseIsWhole() throws Exception {
        Config config = Config.fromEnvironment(Map.of("TOLLGATE_DATA_DIR", dataDir.toString(), "TOLLGATE_HOST", "127.0.0.1"));
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Tollgate app = Tollgate.open(config, TestClocks.SYSTEM);
            try {
                // The address, the port and the system's reason (Javalin's own message says "port in use" of any failure).
                assertThatThrownBy(() -> app.start(taken.getLocalPort()))
                        .hasMessage("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": Address already in use");
                // Right after the failure, before anything else waits for them: no migration is pending, none failed.
                var info = org.flywaydb.core.Flyway.configure().dataSource(app.db.dataSource()).locations("classpath:db/migration")
                        .load().info();
                assertThat(info.pending()).isEmpty();
                assertThat(info.applied()).isNotEmpty().allMatch(m -> m.getState().isApplied() && !m.getState().isFailed());
            } finally {
                app.close();
            }
        }
        // The next start finds the schema current and starts.
        try (Tollgate again = Tollgate.open(config, TestClocks.SYSTEM)) {
            assertThat(again.start(0)).isPositive();
        }
    }

    @Test
    void aPortThatIsNoPortStopsTheStartBeforeTheDatabaseIsTouched() {
        for (String port : java.util.List.of("99999", "0", "-1", "8080.5", "http")) {
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            int code = Cli.run(new String[] {"serve"}, Map.of("TOLLGATE_DATA_DIR", dataDir.resolve("p").toString(), "TOLLGATE_PORT", port),
                    new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true, java.nio.charset.StandardCharsets.UTF_8),
                    new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
            assertThat(code).as(port).isEqualTo(1);
            assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8).trim()).as(port)
                    .isEqualTo("tollgate: TOLLGATE_PORT must be a port number from 1 to 65535, not '" + port + "'");
            assertThat(dataDir.resolve("p")).as(port).doesNotExist();
        }
    }

    @Test
    void aCountThatIsNoWholeNumberStopsTheStartBeforeTheDatabaseIsTouched() throws Exception {
        // The server reads these as it builds its parts: a 1e3 lease was refused only once the database was migrated.
        // (The port is taken: a start that got past them fails there rather than serve on.)
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            for (String name : java.util.List.of("TOLLGATE_LIVE_LEASE_SECONDS", "TOLLGATE_LIVE_BATCH", "TOLLGATE_API_CONCURRENCY")) {
                java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
                int code = Cli.run(new String[] {"serve"}, Map.of("TOLLGATE_DATA_DIR", dataDir.resolve("n").toString(), name, "1e3",
                                "TOLLGATE_HOST", "127.0.0.1", "TOLLGATE_PORT", String.valueOf(taken.getLocalPort())),
                        new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true, java.nio.charset.StandardCharsets.UTF_8),
                        new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
                assertThat(code).as(name).isEqualTo(1);
                assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8).trim()).as(name)
                        .startsWith("tollgate: " + name + " must be a whole number");
                assertThat(dataDir.resolve("n")).as(name).doesNotExist();
            }
        }
    }

    @Test
    void aHostThisMachineCannotListenOnStopsTheStartBeforeTheDatabaseIsTouched() {
        // Before, each went on to make and migrate the database and then said "Port already in use".
        for (String[] refused : java.util.List.of(
                new String[] {"192.0.2.1", "must be an address of this machine"}, // TEST-NET-1: nobody's
                new String[] {"not-a-host.invalid", "must be an IP address or a host name that resolves"},
                new String[] {"999.1.1.1", "must be an IP address or a host name that resolves"},
                new String[] {"a b", "must be a host name or an address"})) {
            String host = refused[0];
            String why = refused[1];
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            int code = Cli.run(new String[] {"serve"}, Map.of("TOLLGATE_DATA_DIR", dataDir.resolve("h").toString(), "TOLLGATE_HOST", host),
                    new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true, java.nio.charset.StandardCharsets.UTF_8),
                    new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
            assertThat(code).as(host).isEqualTo(1);
            assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8).trim()).as(host)
                    .startsWith("tollgate: TOLLGATE_HOST " + why).endsWith("not '" + host + "'").doesNotContain("\n");
            assertThat(dataDir.resolve("h")).as(host).doesNotExist();
        }
        for (String host : java.util.List.of("127.0.0.1", "localhost", "0.0.0.0", "::", "::1"))
            assertThat(Config.fromEnvironment(Map.of("TOLLGATE_HOST", host)).network().host()).isEqualTo(host);
    }
}
