package tollgate.payments;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tollgate.Config;
import tollgate.tenants.Tenant;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * Issue 15, "Stripe across tenants" (decision 044): a tenant may bring its own Stripe account. Its key is sealed, shown
 * as a hint only, and every Stripe call of that tenant (attach, charge) carries it instead of the server-wide key, so a
 * {@code pm_} id of another tenant's Stripe account is unknown to it. The stub answers a PaymentMethod only to the key
 * of the account that has it, as Stripe does.
 */
class StripeKeysPerTenantTest {
    private static final String SERVER_KEY = "sk_test_serverwide";
    private static final String ALICE_KEY = "sk_test_AliceOwnAccount4242";
    private static final String MALLORY_KEY = "sk_test_MalloryOwnAccount9999";
    private static StripeStub stripe;
    private static TestServer.Client server;

    @BeforeAll
    static void start() {
        stripe = new StripeStub();
        server = TestServer.start(TestDatabase.H2, config -> config.withStripe(new Config.StripeSettings(SERVER_KEY, stripe.apiBase())));
    }

    @AfterAll
    static void stop() {
        server.close();
        stripe.close();
    }

    @BeforeEach
    void reset() {
        stripe.reset();
    }

    /** {@code pm} exists in the Stripe account of {@code key} only; any other key gets Stripe's 404. */
    private static void cardOfAccount(String key, String pm) {
        stripe.noSuchPaymentMethod(pm);
        stripe.server.stubFor(get(urlPathEqualTo("/v1/payment_methods/" + pm)).atPriority(1)
                .withHeader("Authorization", equalTo("Bearer " + key))
                .willReturn(StripeStub.json(200, StripeStub.paymentMethodJson(pm, "card", "visa", "4242", 11, 2031, StripeStub.customerOf(pm)))));
    }

    private static Res attach(ApiClient api, String account, String token) {
        return api.post("/v1/accounts/" + account + "/payment_methods", "{\"token\":\"" + token + "\"}");
    }

    @Test
    void aTenantsOwnKeyIsSealedShownAsAHintAndUsedForItsAttachesWhileAnotherTenantsKeyCannotSeeItsCards() {
        ApiClient alice = server.newTenant(Tenant.Mode.LIVE);
        ApiClient mallory = server.newTenant(Tenant.Mode.LIVE);
        Res set = alice.post("/v1/tenant", "{\"stripe_secret_key\":\"" + ALICE_KEY + "\",\"stripe_publishable_key\":\"pk_test_AliceOwnAccount\"}");
        assertThat(set.status()).as(set.text()).isEqualTo(200);
        assertThat(set.str("stripe_secret_key_hint")).isEqualTo("sk_test_…4242");
        assertThat(set.str("stripe_publishable_key")).isEqualTo("pk_test_AliceOwnAccount");
        assertThat(alice.get("/v1/tenant").text()).doesNotContain(ALICE_KEY);
        var db = server.app().db.dsl();
        assertThat(db.fetch("select * from tenants").formatCSV()).doesNotContain(ALICE_KEY).doesNotContain("AliceOwnAccount4242");
        assertThat(db.fetch("select * from events").formatCSV()).doesNotContain(ALICE_KEY);

        String alicesAccount = alice.newAccount("Alice", "usd", "UTC");
        String mallorysAccount = mallory.newAccount("Mallory", "usd", "UTC");
        cardOfAccount(ALICE_KEY, "pm_1QAliceOwn");
        assertThat(attach(alice, alicesAccount, "pm_1QAliceOwn").status()).isEqualTo(200);
        assertThat(stripe.server.findAll(getRequestedFor(urlPathEqualTo("/v1/payment_methods/pm_1QAliceOwn"))))
                .allSatisfy(r -> assertThat(r.getHeader("Authorization")).isEqualTo("Bearer " + ALICE_KEY));

        // Mallory on the server-wide key, then on her own: Alice's pm_ is not in either Stripe account.
        Res stolen = attach(mallory, mallorysAccount, "pm_1QAliceOwn");
        assertThat(stolen.status()).isEqualTo(422);
        assertThat(stolen.code()).isEqualTo("token_invalid");
        assertThat(mallory.post("/v1/tenant", "{\"stripe_secret_key\":\"" + MALLORY_KEY + "\"}").status()).isEqualTo(200);
        assertThat(attach(mallory, mallorysAccount, "pm_1QAliceOwn").code()).isEqualTo("token_invalid");
        assertThat(mallory.get("/v1/accounts/" + mallorysAccount + "/payment_methods").json().get("data")).isEmpty();
        assertThat(stripe.server.findAll(getRequestedFor(urlPathEqualTo("/v1/payment_methods/pm_1QAliceOwn"))).getLast()
                .getHeader("Authorization")).isEqualTo("Bearer " + MALLORY_KEY);

        // Removing the key goes back to the server-wide one.
        Res cleared = mallory.post("/v1/tenant", "{\"stripe_secret_key\":null}");
        assertThat(cleared.str("stripe_secret_key_hint")).isNull();
        cardOfAccount(SERVER_KEY, "pm_1QMalloryServer");
        assertThat(attach(mallory, mallorysAccount, "pm_1QMalloryServer").status()).isEqualTo(200);
    }

    @Test
    void aChargeOfATenantWithItsOwnAccountCarriesItsKey() {
        ApiClient api = server.newTenant(Tenant.Mode.TEST);
        assertThat(api.post("/v1/tenant", "{\"gateway\":\"stripe\",\"stripe_secret_key\":\"" + ALICE_KEY + "\"}").status()).isEqualTo(200);
        String account = api.newAccount("Own account shop", "usd", "UTC");
        cardOfAccount(ALICE_KEY, "pm_1QOwnCharge");
        assertThat(attach(api, account, "pm_1QOwnCharge").status()).isEqualTo(200);
        stripe.createAnswers(200, StripeStub.paymentIntentJson("pi_3QOwn", "succeeded", 2500, "k", null));
        String plan = api.post("/v1/plans", "{\"name\":\"Hosting\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":2500}").str("id");
        assertThat(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\"}").status()).isEqualTo(200);
        Instant now = Instant.parse(api.get("/v1/test_clock").str("now"));
        assertThat(api.post("/v1/test_clock/advance", "{\"to\":\"" + now + "\"}").status()).isEqualTo(200);

        String invoice = api.get("/v1/accounts/" + account + "/invoices").json().at("/data/0/id").asText();
        assertThat(api.get("/v1/invoices/" + invoice).str("status")).isEqualTo("paid");
        assertThat(stripe.creates()).isNotEmpty()
                .allSatisfy(create -> assertThat(create.getHeader("Authorization")).isEqualTo("Bearer " + ALICE_KEY));
    }

    @Test
    void keysThatCannotServeTheTenantAreRefusedAndNeverEchoed() {
        ApiClient test = server.newTenant(Tenant.Mode.TEST);
        Res live = test.post("/v1/tenant", "{\"stripe_secret_key\":\"sk_live_RealMoneyKey12345\"}");
        assertThat(live.status()).isEqualTo(422);
        assertThat(live.code()).isEqualTo("gateway_unavailable");
        assertThat(live.str("field")).isEqualTo("stripe_secret_key");
        assertThat(live.text()).doesNotContain("RealMoneyKey12345");
        Res malformed = test.post("/v1/tenant", "{\"stripe_secret_key\":\"pk_test_notASecret123\"}");
        assertThat(malformed.code()).isEqualTo("parameter_invalid");
        assertThat(malformed.text()).doesNotContain("notASecret123");
        Res mixed = test.post("/v1/tenant", "{\"stripe_secret_key\":\"sk_test_Mixed12345678\",\"stripe_publishable_key\":\"pk_live_Mixed12345678\"}");
        assertThat(mixed.code()).isEqualTo("parameter_invalid");
        assertThat(mixed.str("field")).isEqualTo("stripe_publishable_key");
        Res alone = test.post("/v1/tenant", "{\"stripe_publishable_key\":\"pk_test_Alone12345678\"}");
        assertThat(alone.code()).isEqualTo("parameter_invalid");
        assertThat(test.get("/v1/tenant").str("stripe_secret_key_hint")).isNull();
    }
}
