package tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

    private static int health(HttpClient http, int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception notYet) {
            return 0;
        }
    }

    @Test
    void theKeyWorksAtTheFirst200AndTheSignInsAreWrittenOnceTheyExist() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        int port = ServerProcess.freePort();
        Path data = dir.resolve("data");
        ServerProcess first = ServerProcess.launchEmbedded(data, port, ServerProcess.clockAt(TestClocks.now()), dir.resolve("first.log"));
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (health(http, port) != 200 && System.nanoTime() < deadline && first.isAlive()) Thread.sleep(10);
            assertThat(health(http, port)).as(first.tail()).isEqualTo(200);
            Path keyFile = data.resolve(Cli.Serve.FIRST_KEY_FILE);
            assertThat(keyFile).as("the key is written before the server says ready").exists();
            String key = Files.readString(keyFile).strip();
            HttpResponse<String> accounts = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/accounts"))
                    .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(accounts.statusCode()).isEqualTo(200);

            String out = first.awaitOutput("their passwords are in", Duration.ofSeconds(60));
            assertThat(out.indexOf("Created test tenant 'Demo'")).isLessThan(out.indexOf("Tollgate is listening"));
            assertThat(out.indexOf("Tollgate is listening")).isLessThan(out.indexOf("Demo portal:"));
            Path logins = data.resolve(Cli.Serve.FIRST_LOGINS_FILE);
            assertThat(Files.readString(logins)).contains("owner@demo-customer.example").contains("owner@demo.example")
                    .containsPattern("password: \\S{18,}");
            assertThat(first.stop()).as("exit status after SIGTERM").isZero();
        } finally {
            first.close();
        }

        Files.delete(data.resolve(Cli.Serve.FIRST_LOGINS_FILE));
        try (ServerProcess second = ServerProcess.launchEmbedded(data, port, ServerProcess.clockAt(TestClocks.now()), dir.resolve("second.log"))) {
            String out = second.awaitOutput("Tollgate is listening", Duration.ofSeconds(60));
            assertThat(out).doesNotContain("Created test tenant").doesNotContain("Demo portal:");
            assertThat(data.resolve(Cli.Serve.FIRST_LOGINS_FILE)).doesNotExist();
            assertThat(second.stop()).isZero();
        }
    }
}
