package tollgate.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.Config;
import tollgate.testing.ApiClient;
import tollgate.testing.Fixtures;
import tollgate.testing.Scenario;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;
import tollgate.tenants.Ctx;

/**
 * Without a mail server (the tests' shared server has none) a test tenant's messages are kept and shown at
 * {@code /dev/mail}: a newcomer who fails a payment on the test clock reads the three emails in a browser.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class MailboxTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Parameter
    TestDatabase database;

    private static HttpResponse<String> get(TestServer server, String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl + path)).timeout(Duration.ofSeconds(10));
        if (authorization != null) b.header("Authorization", authorization);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String basic(String key) {
        return "Basic " + Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aNewcomerWhoFailsAPaymentReadsTheThreeEmailsInTheBuiltInMailbox() throws Exception {
        TestServer server = TestServer.on(database);
        Instant day0 = Instant.parse("2030-01-01T10:00:00Z");
        ApiClient api = Scenario.tenantAt(server, day0);
        String plan = Fixtures.flatPlan(api, "usd");
        String account = api.newAccount("Newcomer <Shop>", "usd", "UTC");
        Fixtures.attachCard(api, account, "tok_chargeDeclinedInsufficientFunds");
        assertThat(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\"}").status()).isEqualTo(200);
        api.post("/v1/test_clock/advance", "{\"to\":\"2030-01-09T10:00:00Z\"}");

        // The server's own mail worker keeps them: each is 'sent' to the mailbox, none failed.
        JsonNode notes = null;
        for (int i = 0; i < 100; i++) {
            notes = api.get("/v1/accounts/" + account + "/notifications?limit=100").json().get("data");
            boolean allDone = true;
            for (JsonNode n : notes) allDone &= !n.get("status").asText().equals("pending");
            if (allDone) break;
            Thread.sleep(100);
        }
        for (JsonNode n : notes) {
            assertThat(n.get("status").asText()).isEqualTo("sent");
            assertThat(n.get("last_response").asText()).isEqualTo("kept in the built-in mailbox (/dev/mail): no mail server is configured");
        }

        HttpResponse<String> box = get(server, "/dev/mail", basic(api.key));
        assertThat(box.statusCode()).isEqualTo(200);
        assertThat(box.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(box.body()).contains("Payment failed for invoice INV-000001 (attempt 1 of 4)",
                "Payment failed for invoice INV-000001 (attempt 2 of 4)", "Payment failed for invoice INV-000001 (attempt 3 of 4)",
                "Your services are suspended", "Invoice INV-000001 from Test tenant");

        String third = null;
        for (JsonNode n : notes) if (n.get("template").asText().equals("payment_failed_3")) third = n.get("id").asText();
        HttpResponse<String> one = get(server, "/dev/mail/" + third, "Bearer " + api.key);
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(one.body()).contains("<h1>Payment failed for invoice INV-000001 (attempt 3 of 4)</h1>", "<iframe sandbox",
                "We will try again on January 16, 2030.", "Hello Newcomer &lt;Shop&gt;,")
                // the HTML part sits escaped inside srcdoc: its markup is data, not part of the page
                .contains("srcdoc=\"&lt;!doctype html&gt;").doesNotContain("Hello Newcomer <Shop>");
    }

    @Test
    void theMailboxAsksForATestKeyAndRefusesLiveTenantsAndOtherTenantsMessages() throws Exception {
        TestServer server = TestServer.on(database);
        HttpResponse<String> anonymous = get(server, "/dev/mail", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Basic realm=");
        assertThat(get(server, "/dev/mail", basic("tg_test_nope")).statusCode()).isEqualTo(401);

        ApiClient live = server.newLiveTenant();
        HttpResponse<String> refused = get(server, "/dev/mail", basic(live.key));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("\"code\":\"test_mode_only\"");

        ApiClient a = server.newTenant();
        ApiClient b = server.newTenant();
        String account = a.newAccount("A", "usd", "UTC");
        Notification n = server.app.db.tx(tx -> server.app.notifications.enqueue(new Ctx(tx, a.tenant, Instant.parse("2030-01-01T00:00:00Z")), account, "services_restored", null,
                Map.of("restored_at", "2030-01-01T00:00:00Z")));
        assertThat(get(server, "/dev/mail/" + n.id(), basic(a.key)).statusCode()).isEqualTo(200);
        assertThat(get(server, "/dev/mail/" + n.id(), basic(b.key)).statusCode()).isEqualTo(404);
    }

    @Test
    void aBadSmtpUrlIsAStartUpErrorThatSaysWhatIsWrong() {
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("TOLLGATE_SMTP_URL", "http://mail.example.com")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TOLLGATE_SMTP_URL").hasMessageContaining("smtp://");
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("TOLLGATE_SMTP_URL", "smtp://")))
                .hasMessageContaining("TOLLGATE_SMTP_URL is not a mail server URL");
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("TOLLGATE_SMTP_URL", "smtp://mail example.com")))
                .hasMessageContaining("does not parse");
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("TOLLGATE_SMTP_URL", "smtp://m.example.com?tls=maybe")))
                .hasMessageContaining("unknown option");
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("TOLLGATE_SMTP_URL", "smtp://mail.example.com:submission")))
                .hasMessageContaining("the port 'submission' is not a number");
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("TOLLGATE_SMTP_URL", "smtp://apikey:p@ss@mail.example.com:587")))
                .hasMessageContaining("holds an '@': write it as %40");
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("TOLLGATE_PUBLIC_URL", "billing.example.com")))
                .hasMessageContaining("TOLLGATE_PUBLIC_URL");
        // Unset, links in emails lead to this server on this machine, at its own port.
        assertThat(Config.fromEnvironment(Map.of("TOLLGATE_PORT", "9090")).mail().publicUrl()).isEqualTo("http://localhost:9090");
        assertThat(Config.fromEnvironment(Map.of()).mail().publicUrl()).isEqualTo("http://localhost:8080");
        SmtpServer s = Config.fromEnvironment(Map.of("TOLLGATE_SMTP_URL", "smtps://apikey:p%40ss:word@smtp.example.com")).mail().smtp();
        assertThat(s).isEqualTo(new SmtpServer("smtp.example.com", 465, true, false, "apikey", "p@ss:word"));
        assertThat(s.toString()).doesNotContain("p@ss").isEqualTo("smtps://apikey:…@smtp.example.com:465");
        assertThat(SmtpServer.parse("smtp://u:p@mail.example.com?starttls=required")).isEqualTo(
                new SmtpServer("mail.example.com", 587, false, true, "u", "p"));
    }

    @Test
    void anSmtpUrlWithoutAPortFrom1To65535OrWithoutAHostStopsTheStart() {
        // :99999 was taken, and every mail then failed with "port out of range" in the log.
        for (String port : java.util.List.of("99999", "65536", "0", "9999999999"))
            assertThatThrownBy(() -> Config.fromEnvironment(Map.of("TOLLGATE_SMTP_URL", "smtp://user:pw@127.0.0.1:" + port))).as(port)
                    .hasMessageStartingWith("TOLLGATE_SMTP_URL is not a mail server URL: the port " + port + " is not from 1 to 65535");
        for (String url : java.util.List.of("smtp://user:pw@:587", "smtp://:587", "smtps://user:pw@"))
            assertThatThrownBy(() -> Config.fromEnvironment(Map.of("TOLLGATE_SMTP_URL", url))).as(url)
                    .hasMessageStartingWith("TOLLGATE_SMTP_URL is not a mail server URL: it names no host");
        assertThat(SmtpServer.parse("smtp://user:pw@127.0.0.1:65535").port()).isEqualTo(65535);
        assertThat(SmtpServer.parse("smtp://user:pw@127.0.0.1:1").port()).isEqualTo(1);
    }
}
