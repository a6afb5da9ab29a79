package tollgate.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static tollgate.webhooks.WebhooksTest.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tollgate.cli.Cli;
import tollgate.core.Json;
import tollgate.testing.ApiClient;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/** {@code tollgate webhooks listen}: new events of a test tenant arrive signed at a local server; older ones do not. */
class ListenTest {
    @Test
    void newEventsAreForwardedSignedAndOldOnesAreNot() throws Exception {
        TestServer server = TestServer.on(TestDatabase.H2);
        ApiClient api = server.newTenant();
        api.newAccount("Before", "usd", "UTC");
        try (Receiver receiver = new Receiver()) {
            receiver.secret = "whsec_listen_test_secret";
            receiver.checkAge = false; // the command signs with the machine's clock, the tests' clock starts elsewhere
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            AtomicInteger code = new AtomicInteger(-1);
            Thread listen = Thread.ofPlatform().start(() -> code.set(Cli.run(new String[] {"webhooks", "listen", "--forward-to", receiver.url(),
                    "--api-key", api.key, "--api-base", server.baseUrl, "--secret", receiver.secret, "--interval-ms", "50",
                    "--max-events", "2", "--events", "account.created"}, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8))));
            await(() -> out.toString(StandardCharsets.UTF_8).contains("Ready."));
            String first = api.newAccount("After one", "usd", "UTC");
            String second = api.newAccount("After two", "usd", "UTC");
            listen.join(15_000);
            assertThat(code).hasValue(0);
            assertThat(receiver.hooks).hasSize(2).allMatch(Receiver.Hook::signatureValid);
            assertThat(Json.MAPPER.readTree(receiver.hooks.get(0).body()).get("account").asText()).isEqualTo(first);
            assertThat(Json.MAPPER.readTree(receiver.hooks.get(1).body()).get("account").asText()).isEqualTo(second);
            assertThat(Json.MAPPER.readTree(receiver.hooks.get(0).body()))
                    .isEqualTo(api.get("/v1/events/" + receiver.hooks.get(0).eventId()).json());
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("account.created").contains("→ 200");
        }
    }

    @Test
    void noServerAtTheApiBaseIsSaidPlainly() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort(); // closed again: nothing listens there
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(new String[] {"webhooks", "listen", "--forward-to", "http://127.0.0.1:9/", "--api-key", "tg_test_abcdefghijklmnop",
                "--api-base", "http://127.0.0.1:" + port}, Map.of(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8).trim())
                .isEqualTo("tollgate: no Tollgate answers at http://127.0.0.1:" + port + ": is it running there? (--api-base says where)");
    }

    @Test
    void aLiveKeyIsRefused() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Cli.run(new String[] {"webhooks", "listen", "--forward-to", "http://127.0.0.1:9/", "--api-key", "tg_live_abc"},
                Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(1);
    }
}
