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
                assertThatThrownBy(() -> app.start(taken.getLocalPort())).hasMessageContaining("in use");
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
}
