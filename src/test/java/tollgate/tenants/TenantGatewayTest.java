package tollgate.tenants;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * A tenant's {@code gateway} setting on a server without Stripe (the shared test server): shown, changed, reset,
 * and refused when it could not work here. With Stripe configured: {@code StripePaymentMethodsTest}.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class TenantGatewayTest {
    @Parameter
    TestDatabase database;
    ApiClient api;

    @BeforeEach
    void tenant() {
        api = TestServer.on(database).newTenant();
    }

    @Test
    void aNewTenantHasNoChoiceAndSoItsModesDefault() {
        Res r = api.get("/v1/tenant");
        assertThat(r.json().has("gateway")).isTrue();
        assertThat(r.json().get("gateway").isNull()).isTrue();
    }

    @Test
    void aTestTenantMayChooseTheSandboxAndGoBackToTheDefaultWithNull() {
        Res chosen = api.post("/v1/tenant", "{\"gateway\":\"sandbox\"}");
        assertThat(chosen.status()).as(chosen.text()).isEqualTo(200);
        assertThat(chosen.str("gateway")).isEqualTo("sandbox");
        assertThat(api.get("/v1/tenant").str("gateway")).isEqualTo("sandbox");

        Res renamed = api.post("/v1/tenant", "{\"name\":\"Renamed\"}");
        assertThat(renamed.str("gateway")).as("a change without gateway keeps it").isEqualTo("sandbox");

        Res reset = api.post("/v1/tenant", "{\"gateway\":null}");
        assertThat(reset.status()).isEqualTo(200);
        assertThat(reset.json().get("gateway").isNull()).isTrue();
        assertThat(api.get("/v1/tenant").json().get("gateway").isNull()).isTrue();
    }

    @Test
    void cardsStillAttachThroughTheSandboxOnceItIsChosen() {
        api.post("/v1/tenant", "{\"gateway\":\"sandbox\"}");
        String account = api.newAccount("Acme", "usd", "UTC");
        Res r = api.post("/v1/accounts/" + account + "/payment_methods", "{\"token\":\"tok_visa\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.str("last4")).isEqualTo("4242");
    }

    @Test
    void stripeCannotBeChosenOnAServerWithoutIt() {
        assertRefused(api, "{\"gateway\":\"stripe\"}", "gateway_unavailable");
    }

    /**
     * On a server without Stripe, a tenant's own key is what makes Stripe choosable: given with the choice in one request,
     * it is taken; removed while Stripe is still the choice, it is refused (it used to be taken, leaving the tenant on a
     * gateway that refused every card), and taken with another choice in the same request.
     */
    @Test
    void stripeWithTheTenantsOwnKeyIsChosenTogetherAndTheKeyStaysWhileStripeIsChosen() {
        Res both = api.post("/v1/tenant", "{\"gateway\":\"stripe\",\"stripe_secret_key\":\"sk_test_OwnKey12345678\"}");
        assertThat(both.status()).as(both.text()).isEqualTo(200);
        assertThat(both.str("gateway")).isEqualTo("stripe");
        JsonNode before = api.get("/v1/tenant").json();
        for (String removal : new String[] {"{\"stripe_secret_key\":null}", "{\"stripe_secret_key\":\"\"}"}) {
            Res r = api.post("/v1/tenant", removal);
            assertThat(r.status()).as(r.text()).isEqualTo(422);
            assertThat(r.code()).isEqualTo("gateway_unavailable");
            assertThat(r.str("field")).isEqualTo("stripe_secret_key");
        }
        assertThat(api.get("/v1/tenant").json()).isEqualTo(before);
        Res away = api.post("/v1/tenant", "{\"gateway\":null,\"stripe_secret_key\":null}");
        assertThat(away.status()).as(away.text()).isEqualTo(200);
        assertThat(away.json().get("gateway").isNull()).isTrue();
        assertThat(away.json().get("stripe_secret_key_hint").isNull()).isTrue();
    }

    @Test
    void aLiveTenantCannotChooseTheSandbox() {
        ApiClient live = TestServer.on(database).newLiveTenant();
        assertRefused(live, "{\"gateway\":\"sandbox\"}", "gateway_unavailable");
    }

    @Test
    void badValuesAre422NamingTheFieldAndChangeNothing() {
        api.post("/v1/tenant", "{\"gateway\":\"sandbox\"}");
        String[][] cases = {
                {"{\"gateway\":\"paypal\"}", "parameter_invalid"},
                {"{\"gateway\":\"\"}", "parameter_invalid"},
                {"{\"gateway\":\"Stripe\"}", "parameter_invalid"},
                {"{\"gateway\":\"sandbox \"}", "parameter_invalid"},
                {"{\"gateway\":7}", "invalid_type"},
                {"{\"gateway\":{\"name\":\"stripe\"}}", "invalid_type"},
                {"{\"gateway\":[\"stripe\"]}", "invalid_type"},
                {"{\"name\":\"Changed\",\"gateway\":\"paypal\"}", "parameter_invalid"},
        };
        for (String[] c : cases) assertRefused(api, c[0], c[1]);
        assertThat(api.get("/v1/tenant").str("gateway")).isEqualTo("sandbox");
        assertThat(api.get("/v1/tenant").str("name")).isEqualTo("Test tenant");
    }

    @Test
    void aChangeOfGatewayIsRecordedAsTenantUpdated() {
        api.post("/v1/tenant", "{\"gateway\":\"sandbox\"}");
        JsonNode events = api.get("/v1/events?type=tenant.updated").json().get("data");
        assertThat(events).hasSize(1);
        assertThat(events.at("/0/data/gateway").asText()).isEqualTo("sandbox");
    }

    private static void assertRefused(ApiClient client, String body, String code) {
        JsonNode before = client.get("/v1/tenant").json();
        Res r = client.post("/v1/tenant", body);
        assertThat(r.status()).as(body + " " + r.text()).isEqualTo(422);
        assertThat(r.code()).as(body).isEqualTo(code);
        assertThat(r.str("field")).as(body).isEqualTo("gateway");
        assertThat(client.get("/v1/tenant").json()).as(body).isEqualTo(before);
    }
}
