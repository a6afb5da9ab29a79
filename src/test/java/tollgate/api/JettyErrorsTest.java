package tollgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * What Jetty refuses before a route sees the request is answered as problem JSON with a stable code, like every other
 * refusal, not as Jetty's HTML page: a path that is not UTF-8, a URI past the head's limit, a head past it.
 */
class JettyErrorsTest {
    private record Answer(int status, String head, JsonNode problem) {}

    private static Answer send(int port, String target, String extraHeader) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extraHeader + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int split = all.indexOf("\r\n\r\n");
            String head = all.substring(0, split);
            return new Answer(Integer.parseInt(head.substring(9, 12)), head, new ObjectMapper().readTree(all.substring(split + 4)));
        }
    }

    private static void assertProblem(Answer a, int status, String code) {
        assertThat(a.status()).as(a.head()).isEqualTo(status);
        assertThat(a.head().toLowerCase(java.util.Locale.ROOT)).contains("content-type: application/problem+json").contains("request-id: req_");
        assertThat(a.problem().get("status").asInt()).isEqualTo(status);
        assertThat(a.problem().get("code").asText()).isEqualTo(code);
        assertThat(a.problem().get("type").asText()).isEqualTo("urn:tollgate:problem:" + code);
        assertThat(a.problem().get("request_id").asText()).startsWith("req_");
    }

    @Test
    void jettysOwnRefusalsAreProblemJsonWithAStableCode() throws Exception {
        try (TestServer.Client server = TestServer.start(TestDatabase.H2, config -> config)) {
            Answer badUtf8 = send(server.port(), "/v1/invoices/inv_%FF", "");
            assertProblem(badUtf8, 400, "request_malformed");
            assertThat(badUtf8.problem().get("detail").asText()).contains("UTF-8");
            assertProblem(send(server.port(), "/portal/%C3%28/login", ""), 400, "request_malformed");
            assertProblem(send(server.port(), "/v1/accounts?x=" + "a".repeat(SlowClients.MAX_HEADER_BYTES + 10), ""), 414, "uri_too_long");
            assertProblem(send(server.port(), "/health", "X-Padding: " + "x".repeat(SlowClients.MAX_HEADER_BYTES + 10) + "\r\n"),
                    431, "headers_too_large");
            // Still served afterwards.
            assertThat(server.anonymous().get("/health").status()).isEqualTo(200);
        }
    }
}
