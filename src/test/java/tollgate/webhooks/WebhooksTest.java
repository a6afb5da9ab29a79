package tollgate.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.core.Json;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class WebhooksTest {
    @Parameter
    TestDatabase database;

    @Test
    void eachEventArrivesSignedAsGetEventShowsIt() throws Exception {
        ApiClient api = TestServer.on(database).newTenant();
        try (Receiver receiver = new Receiver()) {
            Res endpoint = api.post("/v1/webhook_endpoints", "{\"url\":\"" + receiver.url() + "\",\"enabled_events\":[\"*\"],\"description\":\"all\"}");
            assertThat(endpoint.status()).as(endpoint.toString()).isEqualTo(200);
            assertThat(endpoint.str("secret")).startsWith("whsec_");
            assertThat(endpoint.str("status")).isEqualTo("enabled");
            receiver.secret = endpoint.str("secret");
            assertThat(api.get("/v1/webhook_endpoints/" + endpoint.str("id")).json().has("secret")).isFalse();

            String account = api.newAccount("Hooked", "usd", "UTC");
            await(() -> receiver.hooks.size() == 1);
            Receiver.Hook hook = receiver.hooks.getFirst();
            assertThat(hook.signatureValid()).as(hook.signature()).isTrue();
            assertThat(hook.signature()).matches("t=\\d+,v1=[0-9a-f]{64}");
            Res event = api.get("/v1/events/" + hook.eventId());
            assertThat(event.status()).isEqualTo(200);
            assertThat(Json.MAPPER.readTree(hook.body())).isEqualTo(event.json());
            assertThat(event.str("type")).isEqualTo("account.created");
            assertThat(event.str("account")).isEqualTo(account);

            String id = endpoint.str("id");
            await(() -> api.get("/v1/webhook_endpoints/" + id + "/deliveries").json().at("/data/0/status").asText().equals("delivered"));
            JsonNode log = api.get("/v1/webhook_endpoints/" + id + "/deliveries").json().at("/data/0");
            assertThat(log.get("event").asText()).isEqualTo(hook.eventId());
            assertThat(log.get("response_status").asInt()).isEqualTo(200);
            assertThat(log.get("attempts").asInt()).isEqualTo(1);
            assertThat(log.get("latency_ms").isInt()).isTrue();
            assertThat(log.get("response_body").asText()).isEqualTo("{\"received\":true,\"status\":200}");
        }
    }

    @Test
    void aReceiverDownForADayGetsTheEventWhenItRecoversOnTheTestClock() throws Exception {
        ApiClient api = TestServer.on(database).newTenant();
        try (Receiver receiver = new Receiver()) {
            receiver.status.set(500);
            Res endpoint = api.post("/v1/webhook_endpoints", "{\"url\":\"" + receiver.url() + "\",\"enabled_events\":[\"account.created\"]}");
            receiver.secret = endpoint.str("secret");
            String id = endpoint.str("id");
            api.newAccount("Patient", "usd", "UTC");
            await(() -> attempts(api, id) == 1);
            Instant created = Instant.parse(api.get("/v1/test_clock").str("now"));
            JsonNode first = delivery(api, id);
            assertThat(first.get("status").asText()).isEqualTo("pending");
            assertThat(first.get("response_status").asInt()).isEqualTo(500);
            assertThat(Instant.parse(first.get("next_attempt_at").asText())).isEqualTo(created.plus(Duration.ofMinutes(1)));

            advance(api, created.plus(Duration.ofDays(1)));
            // At minutes 0, 1, 3, 7, 15, 31, 63, 127, 255, 511 (gaps doubling from 1), then every 6 hours: 871, 1231; the next at 1591.
            assertThat(attempts(api, id)).isEqualTo(12);
            assertThat(Instant.parse(delivery(api, id).get("next_attempt_at").asText())).isEqualTo(created.plus(Duration.ofMinutes(1591)));
            assertThat(delivery(api, id).get("status").asText()).isEqualTo("pending");
            assertThat(api.get("/v1/webhook_endpoints/" + id).str("status")).isEqualTo("enabled");

            receiver.status.set(204);
            advance(api, created.plus(Duration.ofDays(1)).plus(Duration.ofHours(6)));
            JsonNode done = delivery(api, id);
            assertThat(done.get("status").asText()).isEqualTo("delivered");
            assertThat(done.get("attempts").asInt()).isEqualTo(13);
            assertThat(done.get("response_status").asInt()).isEqualTo(204);
            assertThat(receiver.hooks).hasSize(13).allMatch(Receiver.Hook::signatureValid);
            assertThat(receiver.hooks).extracting(Receiver.Hook::eventId).containsOnly(done.get("event").asText());

            advance(api, created.plus(Duration.ofDays(5)));
            assertThat(api.get("/v1/webhook_endpoints/" + id).str("status")).isEqualTo("enabled");
            assertThat(receiver.hooks).hasSize(13);
        }
    }

    @Test
    void threeDaysOfFailuresDisableTheEndpointAndTellTheTenant() throws Exception {
        TestServer server = TestServer.on(database);
        ApiClient api = server.newTenant();
        try (Receiver receiver = new Receiver(); Receiver watcher = new Receiver()) {
            receiver.status.set(503);
            Res endpoint = api.post("/v1/webhook_endpoints", "{\"url\":\"" + receiver.url() + "\",\"enabled_events\":[\"account.created\"]}");
            String id = endpoint.str("id");
            Res other = api.post("/v1/webhook_endpoints", "{\"url\":\"" + watcher.url() + "\",\"enabled_events\":[\"webhook_endpoint.disabled\"]}");
            watcher.secret = other.str("secret");
            api.newAccount("Gone", "usd", "UTC");
            await(() -> attempts(api, id) == 1);
            Instant created = Instant.parse(api.get("/v1/test_clock").str("now"));

            advance(api, created.plus(Duration.ofDays(3)).minusSeconds(1));
            assertThat(api.get("/v1/webhook_endpoints/" + id).str("status")).isEqualTo("enabled");
            advance(api, created.plus(Duration.ofDays(3)));
            Res disabled = api.get("/v1/webhook_endpoints/" + id);
            assertThat(disabled.str("status")).isEqualTo("disabled");
            assertThat(disabled.str("disabled_reason")).isEqualTo("Every delivery failed for 3 days");
            JsonNode d = delivery(api, id);
            assertThat(d.get("status").asText()).isEqualTo("failed");
            assertThat(Instant.parse(d.get("last_attempt_at").asText())).isEqualTo(created.plus(Duration.ofDays(3)));

            JsonNode event = api.get("/v1/events?type=webhook_endpoint.disabled").json().at("/data/0");
            assertThat(event.at("/data/id").asText()).isEqualTo(id);
            assertThat(Instant.parse(event.get("created_at").asText())).isEqualTo(created.plus(Duration.ofDays(3)));
            await(() -> watcher.hooks.size() == 1);
            assertThat(watcher.hooks.getFirst().signatureValid()).isTrue();
            assertThat(watcher.hooks.getFirst().eventId()).isEqualTo(event.get("id").asText());

            var mail = server.app.db.dsl().fetchOne("select template, account_id, data from notifications where tenant_id = ? and template = ?",
                    api.tenant.id(), "webhook_endpoint_disabled");
            assertThat(mail).isNotNull();
            assertThat(mail.get("account_id")).isNull();
            JsonNode data = Json.MAPPER.readTree(mail.get("data", String.class));
            assertThat(data.get("endpoint_id").asText()).isEqualTo(id);
            assertThat(data.get("url").asText()).isEqualTo(receiver.url());
            assertThat(data.get("reason").asText()).isEqualTo("Every delivery failed for 3 days");

            // A disabled endpoint gets no new events; enabled again, it does.
            int before = receiver.hooks.size();
            api.newAccount("Unseen", "usd", "UTC");
            assertThat(api.post("/v1/webhook_endpoints/" + id, "{\"status\":\"enabled\"}").str("disabled_reason")).isNull();
            receiver.status.set(200);
            api.newAccount("Seen", "usd", "UTC");
            await(() -> receiver.hooks.size() == before + 1);
        }
    }

    static int attempts(ApiClient api, String endpoint) {
        JsonNode d = delivery(api, endpoint);
        return d == null || d.isMissingNode() ? 0 : d.get("attempts").asInt();
    }

    static JsonNode delivery(ApiClient api, String endpoint) {
        return api.get("/v1/webhook_endpoints/" + endpoint + "/deliveries").json().at("/data/0");
    }

    static void advance(ApiClient api, Instant to) {
        Res r = api.post("/v1/test_clock/advance", "{\"to\":\"" + to + "\"}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + 15_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("not reached within 15 s");
            Thread.sleep(20);
        }
    }
}
