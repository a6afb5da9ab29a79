package tollgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import tollgate.Tollgate;
import tollgate.testing.TestClocks;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/** Issue #10 1.10: /health says ready only when start-up work (migrations, the first tenant) is done. */
class HealthTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> health(int port) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void healthSaysStartingUntilStartUpWorkIsDone() {
        AtomicReference<HttpResponse<String>> during = new AtomicReference<>();
        try (Tollgate app = Tollgate.open(TestServer.config(TestDatabase.H2.freshUrl(), TestServer.GENEROUS), TestClocks.SYSTEM)) {
            // The start-up work (serve's first tenant) asks while the server already listens.
            int port = app.start(0, () -> during.set(health(app.port())));
            assertThat(during.get().statusCode()).isEqualTo(503);
            assertThat(during.get().body()).isEqualTo("{\"status\":\"starting\"}");

            HttpResponse<String> after = health(port);
            assertThat(after.statusCode()).isEqualTo(200);
            assertThat(after.body()).isEqualTo("{\"status\":\"ok\"}");
        }
    }

    @Test
    void aDatabaseThatDoesNotAnswerIsA503WithRetryAfterAsOnEveryRoute() {
        try (Tollgate app = Tollgate.open(TestServer.config(TestDatabase.H2.freshUrl(), TestServer.GENEROUS), TestClocks.SYSTEM)) {
            int port = app.start(0);
            assertThat(health(port).statusCode()).isEqualTo(200);
            app.db.close(); // the pool gone: no connection answers
            HttpResponse<String> down = health(port);
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.headers().firstValue("Retry-After")).contains("5");
            assertThat(down.body()).contains("\"code\":\"database_unavailable\"");
        }
    }
}
