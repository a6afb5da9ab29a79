package tollgate.payments;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Record;
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
 * SPEC §5 on a server configured with a Stripe key (a test-mode one, pointed at a stub of Stripe's API): live
 * tenants attach Stripe PaymentMethods through the ordinary endpoint, and a test tenant may choose Stripe too; a Stripe
 * outage leaves a charge unknown (pay answers 202, never a 500) until the same idempotency key settles it (issue #5).
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class StripePaymentMethodsTest {
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
    void aLiveTenantAttachesAStripeCardAndOnlyItsCardDetailsAreShown() {
        ApiClient live = server.newTenant(Tenant.Mode.LIVE);
        String account = live.newAccount("Live Shop", "usd", "UTC");
        stripe.card("pm_1QLiveCard", "visa", "4242", 11, 2031);

        Res r = attach(live, account, "pm_1QLiveCard");

        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.str("brand")).isEqualTo("visa");
        assertThat(r.str("last4")).isEqualTo("4242");
        assertThat(r.json().get("exp_month").asInt()).isEqualTo(11);
        assertThat(r.json().get("exp_year").asInt()).isEqualTo(2031);
        assertThat(r.json().get("primary").asBoolean()).isTrue();
        assertThat(r.text()).doesNotContain("pm_1QLiveCard");
        assertThat(stored(live, r.str("id"))).containsExactly("stripe", "pm_1QLiveCard");
        assertThat(stripe.server.findAll(getRequestedFor(urlPathEqualTo("/v1/payment_methods/pm_1QLiveCard"))))
                .singleElement().satisfies(read -> assertThat(read.getHeader("Authorization")).isEqualTo("Bearer " + KEY));
    }

    @Test
    void aTokenStripeCannotChargeLaterIs422AndNothingIsWritten() {
        ApiClient live = server.newTenant(Tenant.Mode.LIVE);
        String account = live.newAccount("Live Shop", "usd", "UTC");
        stripe.noSuchPaymentMethod("pm_1QGone");
        stripe.paymentMethod("pm_1QLoose", 200, StripeStub.paymentMethodJson("pm_1QLoose", "card", "visa", "4242", 1, 2030, null));

        for (String token : List.of("tok_visa", "4242424242424242", "pm_1QGone", "pm_1QLoose")) {
            Res r = attach(live, account, token);
            assertThat(r.status()).as(token + " " + r.text()).isEqualTo(422);
            assertThat(r.code()).as(token).isEqualTo("token_invalid");
            assertThat(r.str("field")).as(token).isEqualTo("token");
            assertThat(r.text()).as(token).doesNotContain(token);
        }
        // Only the two pm_ ids were asked about: the others are not Stripe's shape.
        assertThat(stripe.server.findAll(anyRequestedFor(anyUrl()))).hasSize(2);
        assertNothingAttached(live, account);
    }

    @Test
    void whenStripeDoesNotAnswerAttachingIs503AndTheSameRequestMayBeRetried() {
        ApiClient live = server.newTenant(Tenant.Mode.LIVE);
        String account = live.newAccount("Live Shop", "usd", "UTC");
        stripe.paymentMethod("pm_1QRetryCard", 500, StripeStub.error("api_error", null, null, "An unknown error occurred", null, null));
        Map<String, String> retryable = Map.of("Idempotency-Key", "attach-once");

        Res failed = live.post("/v1/accounts/" + account + "/payment_methods", "{\"token\":\"pm_1QRetryCard\"}", retryable);

        assertThat(failed.status()).as(failed.text()).isEqualTo(503);
        assertThat(failed.code()).isEqualTo("gateway_unavailable");
        assertThat(failed.text()).doesNotContain("pm_1QRetryCard");
        assertNothingAttached(live, account);

        stripe.reset();
        stripe.card("pm_1QRetryCard", "visa", "4242", 11, 2031);
        Res retried = live.post("/v1/accounts/" + account + "/payment_methods", "{\"token\":\"pm_1QRetryCard\"}", retryable);
        assertThat(retried.status()).as(retried.text()).isEqualTo(200);
    }

    @Test
    void aTestTenantKeepsTheSandboxUntilItChoosesStripeAndItsMethodsKeepTheirGateway() {
        ApiClient test = server.newTenant(Tenant.Mode.TEST);
        String account = test.newAccount("Acme", "usd", "UTC");
        stripe.card("pm_1QTestCard", "mastercard", "4444", 3, 2029);

        Res sandboxCard = attach(test, account, "tok_visa");
        assertThat(sandboxCard.status()).isEqualTo(200);
        assertThat(attach(test, account, "pm_1QTestCard").code()).isEqualTo("token_invalid");

        Res chosen = test.post("/v1/tenant", "{\"gateway\":\"stripe\"}");
        assertThat(chosen.status()).as(chosen.text()).isEqualTo(200);
        assertThat(chosen.str("gateway")).isEqualTo("stripe");

        Res stripeCard = attach(test, account, "pm_1QTestCard");
        assertThat(stripeCard.status()).as(stripeCard.text()).isEqualTo(200);
        assertThat(stripeCard.str("last4")).isEqualTo("4444");
        assertThat(attach(test, account, "tok_visa").code()).isEqualTo("token_invalid");

        assertThat(stored(test, sandboxCard.str("id"))).containsExactly("sandbox", "tok_visa");
        assertThat(stored(test, stripeCard.str("id"))).containsExactly("stripe", "pm_1QTestCard");
    }

    @Test
    void aLiveTenantMayNameStripeButNotTheSandbox() {
        ApiClient live = server.newTenant(Tenant.Mode.LIVE);
        assertThat(live.post("/v1/tenant", "{\"gateway\":\"stripe\"}").str("gateway")).isEqualTo("stripe");
        Res sandbox = live.post("/v1/tenant", "{\"gateway\":\"sandbox\"}");
        assertThat(sandbox.status()).isEqualTo(422);
        assertThat(sandbox.code()).isEqualTo("gateway_unavailable");
        assertThat(live.get("/v1/tenant").str("gateway")).isEqualTo("stripe");
    }

    private static Res attach(ApiClient api, String account, String token) {
        return api.post("/v1/accounts/" + account + "/payment_methods", "{\"token\":\"" + token + "\"}");
    }

    /** The stored method's gateway and gateway reference. */
    private List<String> stored(ApiClient api, String paymentMethodId) {
        DSLContext db = server.app().db.dsl();
        Record row = db.fetchOne("select gateway, gateway_ref from payment_methods where tenant_id = ? and id = ?",
                api.tenant.id(), paymentMethodId);
        return List.of(row.get("gateway", String.class), row.get("gateway_ref", String.class));
    }

    private static void assertNothingAttached(ApiClient api, String account) {
        assertThat(api.get("/v1/accounts/" + account + "/payment_methods").json().get("data")).isEmpty();
        assertThat(api.get("/v1/events?account=" + account).json().get("data")).extracting(e -> e.get("type").asText())
                .containsExactly("account.created");
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
        advanceTo(api, now);
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
        advanceTo(api, now.plusSeconds(3600));

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

    private static void advanceTo(ApiClient api, Instant to) {
        Res r = api.post("/v1/test_clock/advance", "{\"to\":\"" + to + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }
}
