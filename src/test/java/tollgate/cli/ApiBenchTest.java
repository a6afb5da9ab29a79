package tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.core.ProcStat;
import tollgate.testing.ServerProcess;
import tollgate.testing.TestDatabase;

/**
 * {@code tollgate bench api} run small in a process of its own, as an operator runs it: it opens and stores what it
 * says, and prints each phase's figures, the local PostgreSQL's CPU only on PostgreSQL (issue 15 point 3's benchmark,
 * docs/BENCHMARKS.md "Writes over HTTP").
 */
class ApiBenchTest {

    @ParameterizedTest
    @MethodSource("tollgate.testing.TestDatabase#available")
    void aSmallRunStoresWhatItSaysAndPrintsItsFigures(TestDatabase database, @TempDir Path dir) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(ServerProcess.SMALL_JVM);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Cli.class.getName(), "bench", "api",
                "--accounts", "24", "--licenses", "24", "--warmup", "0", "--license-accounts", "3", "--clients", "4"));
        Path log = dir.resolve("bench.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(variable -> variable.startsWith("TOLLGATE_"));
        builder.environment().put("TOLLGATE_DATA_DIR", dir.resolve("data").toString()); // the embedded database's, on H2
        if (database == TestDatabase.POSTGRES) builder.environment().put("TOLLGATE_DATABASE_URL", database.freshUrl());
        builder.environment().put("TOLLGATE_ENCRYPTION_KEY", ServerProcess.ENCRYPTION_KEY);
        Process bench = builder.start();
        assertThat(bench.waitFor(180, TimeUnit.SECONDS)).as("the bench ended within 3 minutes").isTrue();
        String out = Files.readString(log);
        assertThat(bench.exitValue()).as(out).isZero();

        assertThat(out).as(out)
                .containsPattern("accounts with a subscription: 24 in [0-9.]+ s: [0-9]+ per second; JVM CPU")
                .containsPattern("licenses issued: 24 in [0-9.]+ s: [0-9]+ per second")
                .contains("stored: 27 accounts, 24 subscriptions, 24 invoices, 24 licenses");
        boolean linux = Files.exists(Path.of("/proc/stat"));
        if (linux) assertThat(out).as(out).containsPattern("the machine's [0-9]+ cores idle or waiting for I/O [0-9]+ % of the time");
        if (database == TestDatabase.H2) {
            assertThat(out).as("no database processes on the embedded database").doesNotContain("processes named postgres", "busy with other");
        } else if (linux && ProcStat.processesNamed("postgres").isPresent()) { // a local server, as on this project's machines
            assertThat(out).as(out)
                    .containsPattern("meanwhile the machine's processes named postgres: [0-9.]+ s of CPU, [0-9.]+ ms per operation")
                    .containsPattern("; busy with other processes -?[0-9.]+ ms per operation");
        }
    }
}
