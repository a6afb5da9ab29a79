package tollgate.webhooks;

import tollgate.events.EventTypes;
import static org.assertj.core.api.Assertions.assertThat;
import static tollgate.webhooks.WebhooksTest.await;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/** What an endpoint may be: where it points (no SSRF), what it subscribes to, how many a tenant has; and what it can ask. */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class WebhookEndpointRulesTest {
    @Parameter
    TestDatabase database;

    @Test
    void aLiveTenantsUrlIsHttpsToAPublicAddress() {
        ApiClient live = TestServer.on(database).newLiveTenant();
        refused(live, "http://93.184.216.34/hooks", "url_not_https");
        refused(live, "https://127.0.0.1/hooks", "url_address_refused");
        refused(live, "https://127.1.2.3:8443/hooks", "url_address_refused");
        refused(live, "https://10.0.0.7/hooks", "url_address_refused");
        refused(live, "https://192.168.1.1/hooks", "url_address_refused");
        refused(live, "https://172.16.0.1/hooks", "url_address_refused");
        refused(live, "https://169.254.169.254/latest/meta-data/", "url_address_refused");
        refused(live, "https://[::1]/hooks", "url_address_refused");
        refused(live, "https://[fd00:ec2::254]/hooks", "url_address_refused");
        refused(live, "https://[::ffff:10.0.0.1]/hooks", "url_address_refused");
        refused(live, "https://0.0.0.0/hooks", "url_address_refused");
        refused(live, "https://localhost/hooks", "url_address_refused"); // a name resolving to loopback
        refused(live, "https://user:pw@93.184.216.34/hooks", "url_invalid");
        refused(live, "not a url", "url_invalid");
        refused(live, "mailto:ops@example.com", "url_not_https");
        refused(live, "https:///nohost", "url_invalid");
        refused(live, "https://" + "a".repeat(2050) + ".test/", "url_invalid");
        refused(live, "https://no-such-host.invalid/hooks", "url_unresolvable");
        // An internationalised host is read in its ASCII form, so it gets as far as the name lookup.
        refused(live, "https://hööks.no-such-host.invalid/hooks", "url_unresolvable");
        refused(live, "https://hö_öks.example/hooks", "url_invalid");
        // Decision 090: no port outside 1–65535, no host name DNS could not hold, no text-direction character; nothing is
        // "not https" but a URL with a scheme.
        refused(live, "https://93.184.216.34:0/hooks", "url_invalid");
        refused(live, "https://93.184.216.34:65536/hooks", "url_invalid");
        refused(live, "https://93.184.216.34:99999/hooks", "url_invalid");
        refused(live, "https://" + "a".repeat(64) + ".example/hooks", "url_invalid");
        refused(live, "https://" + ("a".repeat(62) + ".").repeat(4) + "example/hooks", "url_invalid");
        refused(live, "https://93.184.216.34/\u202Eskooh", "url_invalid");
        refused(live, "", "url_invalid");
        refused(live, "   ", "url_invalid");
        assertThat(live.get("/v1/webhook_endpoints").json().get("data")).isEmpty();
    }

    @Test
    void aTestTenantMayUseLoopbackOverHttpButNotPrivateNetworks() {
        ApiClient test = TestServer.on(database).newTenant();
        assertThat(create(test, "http://127.0.0.1:9/hooks", "[\"*\"]").status()).isEqualTo(200);
        assertThat(create(test, "http://localhost:9/hooks", "[\"*\"]").status()).isEqualTo(200);
        refused(test, "http://10.1.2.3/hooks", "url_address_refused");
        refused(test, "http://169.254.169.254/", "url_address_refused");
        refused(test, "ftp://127.0.0.1/hooks", "url_not_https");
        refused(test, "http://127.0.0.1:0/hooks", "url_invalid");
        refused(test, "", "url_invalid");
    }

    @Test
    void aLiveEndpointWhoseNameNowResolvesToLoopbackIsRefusedAtDelivery() {
        // The delivery-time check is the courier's: a live tenant's URL to loopback gets no connection at all.
        try (var hang = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            OutboundHttp.Outcome o = new OutboundHttp(java.time.Duration.ofSeconds(2)).post("https://localhost:" + hang.getLocalPort() + "/",
                    false, java.util.Map.of(), new byte[0]);
            assertThat(o.delivered()).isFalse();
            assertThat(o.error()).startsWith("url_address_refused");
            assertThat(o.latencyMillis()).isLessThan(1000);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theEventsOfRefundsKeysAndOneOffInvoicesCanBeChosenByName() {
        ApiClient api = TestServer.on(database).newTenant();
        Res r = create(api, "http://127.0.0.1:9/h", "[\"refund.created\",\"charge.refunded\",\"invoice.marked_uncollectible\","
                + "\"invoice_item.created\",\"api_key.revoked\",\"account.updated\",\"dunning.step_run\"]");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().get("enabled_events")).hasSize(7);
    }

    @Test
    void unknownEventTypesAndBadFieldsAreRefused() {
        ApiClient api = TestServer.on(database).newTenant();
        Res r = create(api, "http://127.0.0.1:9/h", "[\"invoice.paid\",\"invoice.teleported\"]");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.code()).isEqualTo("event_type_unknown");
        assertThat(r.str("field")).isEqualTo("enabled_events[1]");
        assertThat(create(api, "http://127.0.0.1:9/h", "[]").str("field")).isEqualTo("enabled_events");
        assertThat(create(api, "http://127.0.0.1:9/h", "[\"*\",\"invoice.paid\"]").str("field")).isEqualTo("enabled_events[0]");
        assertThat(create(api, "http://127.0.0.1:9/h", "[\"webhook_endpoint.test\"]").code()).isEqualTo("event_type_unknown");
        assertThat(create(api, "http://127.0.0.1:9/h", "\"*\"").code()).isEqualTo("invalid_type");
        assertThat(create(api, "http://127.0.0.1:9/h", "[3]").str("field")).isEqualTo("enabled_events[0]");
        Res noUrl = api.post("/v1/webhook_endpoints", "{\"enabled_events\":[\"*\"]}");
        assertThat(noUrl.code()).isEqualTo("parameter_missing");
        assertThat(noUrl.str("field")).isEqualTo("url");
        assertThat(api.post("/v1/webhook_endpoints", "{\"url\":\"http://127.0.0.1:9/h\",\"enabled_events\":[\"*\"],\"status\":\"on\"}").str("field"))
                .isEqualTo("status");
        assertThat(api.post("/v1/webhook_endpoints", "{\"url\":\"http://127.0.0.1:9/h\",\"enabled_events\":[\"*\"],\"secret\":\"whsec_mine\"}").code())
                .isEqualTo("unknown_field");
        assertThat(api.get("/v1/webhook_endpoints").json().get("data")).isEmpty();

        Res ok = create(api, "http://127.0.0.1:9/h", "[\"invoice.paid\",\"invoice.paid\"]");
        assertThat(ok.json().get("enabled_events")).hasSize(1);
        Res update = api.post("/v1/webhook_endpoints/" + ok.str("id"), "{\"enabled_events\":[\"nope\"]}");
        assertThat(update.code()).isEqualTo("event_type_unknown");
        assertThat(api.get("/v1/webhook_endpoints/" + ok.str("id")).json().at("/enabled_events/0").asText()).isEqualTo("invoice.paid");
        assertThat(api.get("/v1/webhook_endpoints/we_nope").status()).isEqualTo(404);
        assertThat(api.get("/v1/events/evt_nope").status()).isEqualTo(404);
    }

    @Test
    void theContractsEventsIsTheSameListAsEnabledEventsAndMayBeLeftOut() {
        ApiClient api = TestServer.on(database).newTenant();
        Res named = api.post("/v1/webhook_endpoints", "{\"url\":\"http://127.0.0.1:9/a\",\"events\":[\"invoice.paid\",\"license.issued\"]}");
        assertThat(named.status()).as(named.text()).isEqualTo(200);
        assertThat(named.json().get("enabled_events").toString()).isEqualTo("[\"invoice.paid\",\"license.issued\"]");
        assertThat(named.str("secret")).startsWith("whsec_");

        Res all = api.post("/v1/webhook_endpoints", "{\"url\":\"http://127.0.0.1:9/b\"}");
        assertThat(all.status()).as(all.text()).isEqualTo(200);
        assertThat(all.json().get("enabled_events").toString()).isEqualTo("[\"*\"]");

        Res unknown = api.post("/v1/webhook_endpoints", "{\"url\":\"http://127.0.0.1:9/c\",\"events\":[\"invoice.paid\",\"nope\"]}");
        assertThat(unknown.code()).isEqualTo("event_type_unknown");
        assertThat(unknown.str("field")).isEqualTo("events[1]");
        assertThat(api.post("/v1/webhook_endpoints", "{\"url\":\"http://127.0.0.1:9/c\",\"events\":[]}").str("field")).isEqualTo("events");
        Res both = api.post("/v1/webhook_endpoints", "{\"url\":\"http://127.0.0.1:9/c\",\"events\":[\"*\"],\"enabled_events\":[\"*\"]}");
        assertThat(both.status()).isEqualTo(422);
        assertThat(both.code()).isEqualTo("parameters_exclusive");
        assertThat(api.get("/v1/webhook_endpoints").json().get("data")).hasSize(2);

        String id = named.str("id");
        Res update = api.post("/v1/webhook_endpoints/" + id, "{\"events\":[\"account.created\"]}");
        assertThat(update.status()).as(update.text()).isEqualTo(200);
        assertThat(api.get("/v1/webhook_endpoints/" + id).json().get("enabled_events").toString()).isEqualTo("[\"account.created\"]");
        assertThat(api.post("/v1/webhook_endpoints/" + id, "{\"events\":[\"x.y\"]}").str("field")).isEqualTo("events[0]");
        assertThat(api.post("/v1/webhook_endpoints/" + id, "{\"events\":[\"*\"],\"enabled_events\":[\"*\"]}").code())
                .isEqualTo("parameters_exclusive");
        assertThat(api.get("/v1/webhook_endpoints/" + id).json().get("enabled_events").toString()).isEqualTo("[\"account.created\"]");
    }

    @Test
    void aTenantHasAtMostSixteenEndpoints() {
        TestServer server = TestServer.on(database);
        ApiClient api = server.newTenant();
        for (int i = 0; i < 16; i++) assertThat(create(api, "http://127.0.0.1:9/h" + i, "[\"*\"]").status()).isEqualTo(200);
        Res r = create(api, "http://127.0.0.1:9/h16", "[\"*\"]");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.code()).isEqualTo("too_many_endpoints");
        assertThat(api.get("/v1/webhook_endpoints?limit=100").json().get("data")).hasSize(16);
        // Another tenant's count is its own; a deleted endpoint frees a place.
        assertThat(create(server.newTenant(), "http://127.0.0.1:9/h", "[\"*\"]").status()).isEqualTo(200);
        String first = api.get("/v1/webhook_endpoints?limit=1").json().at("/data/0/id").asText();
        assertThat(api.delete("/v1/webhook_endpoints/" + first).json().get("deleted").asBoolean()).isTrue();
        assertThat(create(api, "http://127.0.0.1:9/h16", "[\"*\"]").status()).isEqualTo(200);
    }

    @Test
    void anotherTenantsEndpointIsNotThere() {
        TestServer server = TestServer.on(database);
        ApiClient a = server.newTenant();
        String id = create(a, "http://127.0.0.1:9/h", "[\"*\"]").str("id");
        ApiClient b = server.newTenant();
        assertThat(b.get("/v1/webhook_endpoints/" + id).status()).isEqualTo(404);
        assertThat(b.delete("/v1/webhook_endpoints/" + id).status()).isEqualTo(404);
        assertThat(b.get("/v1/webhook_endpoints/" + id + "/deliveries").status()).isEqualTo(404);
        assertThat(b.post("/v1/webhook_endpoints/" + id + "/test", null).status()).isEqualTo(404);
        assertThat(a.get("/v1/webhook_endpoints/" + id).status()).isEqualTo(200);
    }

    @Test
    void aTestEventARedeliveryAndARolledSecret() throws Exception {
        ApiClient api = TestServer.on(database).newTenant();
        try (Receiver receiver = new Receiver()) {
            Res endpoint = create(api, receiver.url(), "[\"account.created\"]");
            String id = endpoint.str("id");
            receiver.secret = endpoint.str("secret");
            Res test = api.post("/v1/webhook_endpoints/" + id + "/test", null);
            assertThat(test.status()).as(test.toString()).isEqualTo(200);
            assertThat(test.str("status")).isEqualTo("pending");
            await(() -> receiver.hooks.size() == 1);
            JsonNode event = api.get("/v1/events/" + receiver.hooks.getFirst().eventId()).json();
            assertThat(event.get("type").asText()).isEqualTo("webhook_endpoint.test");
            assertThat(receiver.hooks.getFirst().signatureValid()).isTrue();

            api.newAccount("Twice", "usd", "UTC");
            await(() -> receiver.hooks.size() == 2);
            String accountEvent = receiver.hooks.get(1).eventId();

            // Rolled with the old secret valid an hour more: both sign; a receiver with either accepts.
            Res rolled = api.post("/v1/webhook_endpoints/" + id + "/roll_secret", "{\"expire_previous_in\":3600}");
            assertThat(rolled.str("secret")).startsWith("whsec_").isNotEqualTo(endpoint.str("secret"));
            Res again = api.post("/v1/events/" + accountEvent + "/redeliver", null);
            assertThat(again.json().get("data")).hasSize(1);
            await(() -> receiver.hooks.size() == 3);
            assertThat(receiver.hooks.get(2).eventId()).isEqualTo(accountEvent);
            assertThat(receiver.hooks.get(2).signatureValid()).isTrue(); // checked with the old secret
            assertThat(receiver.hooks.get(2).signature()).matches("t=\\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}");

            receiver.secret = rolled.str("secret");
            api.post("/v1/webhook_endpoints/" + id + "/roll_secret", null);
            api.post("/v1/events/" + accountEvent + "/redeliver", "{\"endpoint\":\"" + id + "\"}");
            await(() -> receiver.hooks.size() == 4);
            assertThat(receiver.hooks.get(3).signatureValid()).isFalse(); // the rolled-away secret no longer signs
            assertThat(receiver.hooks.get(3).signature()).matches("t=\\d+,v1=[0-9a-f]{64}");

            assertThat(api.post("/v1/events/evt_nope/redeliver", null).status()).isEqualTo(404);
            assertThat(api.post("/v1/events/" + accountEvent + "/redeliver", "{\"endpoint\":\"we_nope\"}").str("field")).isEqualTo("endpoint");
            assertThat(api.post("/v1/webhook_endpoints/" + id + "/roll_secret", "{\"expire_previous_in\":90000}").str("field"))
                    .isEqualTo("expire_previous_in");
            assertThat(api.get("/v1/webhook_endpoints/" + id + "/deliveries").json().get("data")).hasSize(4);
            assertThat(api.get("/v1/webhook_endpoints/" + id + "/deliveries?starting_after=bad").status()).isEqualTo(404); // an unknown cursor, decision 020
        }
    }

    /** Decision 091: a redelivery to one endpoint is refused, changing nothing, where its status or filter says no. */
    @Test
    void aRedeliveryToOneEndpointIsRefusedWhenItIsDisabledOrDoesNotSubscribeToTheEventsType() throws Exception {
        ApiClient api = TestServer.on(database).newTenant();
        try (Receiver receiver = new Receiver()) {
            String accounts = create(api, receiver.url(), "[\"account.created\"]").str("id");
            String invoices = create(api, receiver.url(), "[\"invoice.paid\"]").str("id");
            api.newAccount("Filtered", "usd", "UTC");
            await(() -> receiver.hooks.size() == 1);
            String accountCreated = receiver.hooks.getFirst().eventId();

            Res unsubscribed = api.post("/v1/events/" + accountCreated + "/redeliver", "{\"endpoint\":\"" + invoices + "\"}");
            assertThat(unsubscribed.status()).as(unsubscribed.toString()).isEqualTo(422);
            assertThat(unsubscribed.code()).isEqualTo("event_not_subscribed");
            assertThat(unsubscribed.str("field")).isEqualTo("endpoint");
            assertThat(api.get("/v1/webhook_endpoints/" + invoices + "/deliveries").json().get("data")).isEmpty();

            // Its own test event is the exception: an endpoint hears it whatever it subscribes to.
            String test = api.post("/v1/webhook_endpoints/" + invoices + "/test", null).str("event");
            await(() -> receiver.hooks.size() == 2);
            assertThat(api.post("/v1/events/" + test + "/redeliver", "{\"endpoint\":\"" + invoices + "\"}").json().get("data")).hasSize(1);
            assertThat(api.post("/v1/events/" + test + "/redeliver", "{\"endpoint\":\"" + accounts + "\"}").code())
                    .isEqualTo("event_not_subscribed");
            await(() -> receiver.hooks.size() == 3);

            assertThat(api.post("/v1/webhook_endpoints/" + accounts, "{\"status\":\"disabled\"}").str("status")).isEqualTo("disabled");
            Res disabled = api.post("/v1/events/" + accountCreated + "/redeliver", "{\"endpoint\":\"" + accounts + "\"}");
            assertThat(disabled.status()).as(disabled.toString()).isEqualTo(409);
            assertThat(disabled.code()).isEqualTo("webhook_endpoint_disabled");
            assertThat(disabled.str("field")).isEqualTo("endpoint");
            assertThat(api.get("/v1/webhook_endpoints/" + accounts + "/deliveries").json().get("data")).hasSize(1);
            // Without an endpoint named, a disabled one is passed over as before: nothing subscribed and enabled.
            assertThat(api.post("/v1/events/" + accountCreated + "/redeliver", null).json().get("data")).isEmpty();

            assertThat(api.post("/v1/webhook_endpoints/" + accounts, "{\"status\":\"enabled\"}").str("status")).isEqualTo("enabled");
            assertThat(api.post("/v1/events/" + accountCreated + "/redeliver", "{\"endpoint\":\"" + accounts + "\"}").json().get("data"))
                    .hasSize(1);
            await(() -> receiver.hooks.size() == 4);
            assertThat(receiver.hooks.get(3).eventId()).isEqualTo(accountCreated);
        }
    }

    private static Res create(ApiClient api, String url, String events) {
        return api.post("/v1/webhook_endpoints", "{\"url\":\"" + url + "\",\"enabled_events\":" + events + "}");
    }

    private static void refused(ApiClient api, String url, String code) {
        Res r = create(api, url, "[\"*\"]");
        assertThat(r.status()).as(url + " → " + r).isEqualTo(422);
        assertThat(r.code()).as(url + " → " + r).isEqualTo(code);
        assertThat(r.str("field")).isEqualTo("url");
    }
}
