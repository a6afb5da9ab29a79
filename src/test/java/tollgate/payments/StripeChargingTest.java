package tollgate.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.Config;
import tollgate.tenants.Tenant;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * Issue #5, bad input: "gateway timeouts and 5xx (the attempt is recorded as unknown and resolved later, never a 500 to
 * the caller)", end to end through the API on a test tenant that charges through Stripe (a stub of Stripe's API).
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class StripeChargingTest {
    private static final String KEY = "sk_test_tollgate";
    private static StripeStub stripe;
    private static final Map<TestDatabase, TestServer.Client> SERVERS = new EnumMap<>(TestDatabase.class);

    @Parameter
    TestDatabase database;
    TestServer.Client server;

    @BeforeAll
    static synchronized void startStripe() {
        if (stripe == null) stripe = new StripeStub();
    }

    @AfterAll
    static synchronized void stopAll() {
        SERVERS.values().forEach(TestServer.Client::close);
        SERVERS.clear();
        if (stripe != null) stripe.close();
        stripe = null;
    }

    @BeforeEach
    void server() {
        stripe.reset();
        synchronized (SERVERS) {
            server = SERVERS.computeIfAbsent(database, db ->
                    TestServer.start(db, config -> config.withStripe(new Config.StripeSettings(KEY, stripe.apiBase()))));
        }
    }

    @Test
    void aStripeOutageLeavesTheChargeUnknownThePayCallGets202AndTheSameKeySettlesItLater() {
        ApiClient api = server.newTenant(Tenant.Mode.TEST);
        assertThat(api.post("/v1/tenant", "{\"gateway\":\"stripe\"}").status()).isEqualTo(200);
        String account = api.newAccount("Stripe shop", "usd", "UTC");
        stripe.card("pm_1QCard", "visa", "4242", 11, 2031);
        assertThat(api.post("/v1/accounts/" + account + "/payment_methods", "{\"token\":\"pm_1QCard\"}").status()).isEqualTo(200);
        String plan = api.post("/v1/plans", "{\"name\":\"Hosting\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":2500}").str("id");
        assertThat(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\"}").status()).isEqualTo(200);
        String invoice = api.get("/v1/accounts/" + account + "/invoices").json().at("/data/0/id").asText();
        Instant now = Instant.parse(api.get("/v1/test_clock").str("now"));

        stripe.createAnswers(500, StripeStub.error("api_error", null, null, "An unknown error occurred", null, null));
        advance(api, now);
        JsonNode attempts = api.get("/v1/invoices/" + invoice + "/payment_attempts").json().get("data");
        assertThat(attempts).hasSize(1);
        assertThat(attempts.at("/0/status").asText()).isEqualTo("unknown");
        assertThat(attempts.at("/0/gateway").asText()).isEqualTo("stripe");
        assertThat(api.get("/v1/invoices/" + invoice).str("status")).isEqualTo("open");

        // Paying now asks Stripe again about the same charge: still no answer, so 202 and the invoice stays open.
        Res pay = api.post("/v1/invoices/" + invoice + "/pay", "{}");
        assertThat(pay.status()).as(pay.text()).isEqualTo(202);
        assertThat(pay.str("status")).isEqualTo("open");
        assertThat(api.get("/v1/invoices/" + invoice + "/payment_attempts").json().get("data")).hasSize(1);

        // Stripe is back: the payment.resolve row asks once more, with the same key, and the charge turns out to be made.
        stripe.reset();
        stripe.card("pm_1QCard", "visa", "4242", 11, 2031);
        stripe.createAnswers(200, StripeStub.paymentIntentJson("pi_3QPaid", "succeeded", 2500, "k", null));
        advance(api, now.plusSeconds(3600));

        JsonNode paid = api.get("/v1/invoices/" + invoice).json();
        assertThat(paid.get("status").asText()).isEqualTo("paid");
        assertThat(paid.get("amount_paid").asLong()).isEqualTo(2500);
        attempts = api.get("/v1/invoices/" + invoice + "/payment_attempts").json().get("data");
        assertThat(attempts).hasSize(1);
        assertThat(attempts.at("/0/status").asText()).isEqualTo("succeeded");
        assertThat(attempts.at("/0/gateway_id").asText()).isEqualTo("pi_3QPaid");
        String key = stripe.creates().getFirst().getHeader("Idempotency-Key");
        assertThat(key).isNotBlank();
        assertThat(stripe.creates()).allSatisfy(create -> assertThat(create.getHeader("Idempotency-Key")).isEqualTo(key));
    }

    private static void advance(ApiClient api, Instant to) {
        Res r = api.post("/v1/test_clock/advance", "{\"to\":\"" + to + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }
}
