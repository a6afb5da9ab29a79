package tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tollgate.testing.ServerProcess;
import tollgate.testing.TestClocks;

/**
 * Decision 081: `serve`'s first start on the embedded database, as a newcomer runs it. The demo tenant exists when
 * /health first answers 200; its sign-ins are made just after, and written to first-logins.txt once they exist, after
 * "listening". A second start on the same directory makes neither again.
 */
class FirstStartTest {
    @TempDir
    Path dir;

    private Process serve(Path log, int port) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(ServerProcess.SMALL_JVM);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Cli.class.getName(), "serve"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("TOLLGATE_")); // the embedded database, always
        builder.environment().put("TOLLGATE_DATA_DIR", dir.resolve("data").toString());
        builder.environment().put("TOLLGATE_PORT", Integer.toString(port));
        builder.environment().put("TOLLGATE_CLOCK_START", TestClocks.now().toString());
        builder.environment().put("TOLLGATE_ALLOW_CLOCK_OVERRIDE", "true");
        return builder.start();
    }

    private static int health(HttpClient http, int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception notYet) {
            return 0;
        }
    }

    private static String awaitLine(Path log, String text, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && process.isAlive()) {
            String out = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            if (out.contains(text)) return out;
            Thread.sleep(20);
        }
        throw new AssertionError("no '" + text + "' in the output:\n" + (Files.exists(log) ? Files.readString(log) : ""));
    }

    @Test
    void theKeyWorksAtTheFirst200AndTheSignInsAreWrittenOnceTheyExist() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        int port = ServerProcess.freePort();
        Path log = dir.resolve("first.log");
        Process first = serve(log, port);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (health(http, port) != 200 && System.nanoTime() < deadline && first.isAlive()) Thread.sleep(10);
            assertThat(health(http, port)).isEqualTo(200);
            Path keyFile = dir.resolve("data").resolve(Cli.Serve.FIRST_KEY_FILE);
            assertThat(keyFile).as("the key is written before the server says ready").exists();
            String key = Files.readString(keyFile).strip();
            HttpResponse<String> accounts = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/accounts"))
                    .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(accounts.statusCode()).isEqualTo(200);

            String out = awaitLine(log, "their passwords are in", first);
            assertThat(out.indexOf("Created test tenant 'Demo'")).isLessThan(out.indexOf("Tollgate is listening"));
            assertThat(out.indexOf("Tollgate is listening")).isLessThan(out.indexOf("Demo portal:"));
            Path logins = dir.resolve("data").resolve(Cli.Serve.FIRST_LOGINS_FILE);
            assertThat(Files.readString(logins)).contains("owner@demo-customer.example").contains("owner@demo.example")
                    .containsPattern("password: \\S{18,}");
        } finally {
            first.destroy();
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(first.exitValue()).isZero();

        Files.delete(dir.resolve("data").resolve(Cli.Serve.FIRST_LOGINS_FILE));
        Path again = dir.resolve("second.log");
        Process second = serve(again, port);
        try {
            String out = awaitLine(again, "Tollgate is listening", second);
            assertThat(out).doesNotContain("Created test tenant").doesNotContain("Demo portal:");
            assertThat(dir.resolve("data").resolve(Cli.Serve.FIRST_LOGINS_FILE)).doesNotExist();
        } finally {
            second.destroy();
            assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
