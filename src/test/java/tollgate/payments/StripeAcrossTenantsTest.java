package tollgate.payments;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tollgate.Config;
import tollgate.tenants.Tenant;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * Issue 15, "Stripe across tenants": one Stripe key serves every tenant of a server, so a payment method saved on a
 * customer that another account uses is refused, whoever learnt its pm_ id (the stub shows each method's customer).
 */
class StripeAcrossTenantsTest {
    private static StripeStub stripe;
    private static TestServer.Client server;

    @BeforeAll
    static void start() {
        stripe = new StripeStub();
        server = TestServer.start(TestDatabase.H2, config -> config.withStripe(new Config.StripeSettings("sk_test_tollgate", stripe.apiBase())));
    }

    @AfterAll
    static void stop() {
        server.close();
        stripe.close();
    }

    private static Res attach(ApiClient api, String account, String token) {
        return api.post("/v1/accounts/" + account + "/payment_methods", "{\"token\":\"" + token + "\"}");
    }

    @Test
    void anotherTenantCannotAttachAPaymentMethodOfThisTenantsCustomer() {
        ApiClient alice = server.newTenant(Tenant.Mode.LIVE);
        ApiClient mallory = server.newTenant(Tenant.Mode.LIVE);
        String alicesAccount = alice.newAccount("Alice", "usd", "UTC");
        String mallorysAccount = mallory.newAccount("Mallory", "usd", "UTC");
        stripe.card("pm_1QAlice", "visa", "4242", 11, 2031);
        assertThat(attach(alice, alicesAccount, "pm_1QAlice").status()).isEqualTo(200);

        // The same pm_ id, learnt somehow: refused, nothing attached.
        Res stolen = attach(mallory, mallorysAccount, "pm_1QAlice");
        assertThat(stolen.status()).as(stolen.text()).isEqualTo(422);
        assertThat(stolen.code()).isEqualTo("payment_method_customer_mismatch");
        assertThat(stolen.str("field")).isEqualTo("token");
        assertThat(stolen.text()).doesNotContain("pm_1QAlice").doesNotContain(StripeStub.customerOf("pm_1QAlice"));
        // Another method saved on Alice's customer: refused as well.
        stripe.paymentMethod("pm_1QAliceTwo", 200, StripeStub.paymentMethodJson("pm_1QAliceTwo", "card", "visa", "1881", 1, 2032,
                StripeStub.customerOf("pm_1QAlice")));
        assertThat(attach(mallory, mallorysAccount, "pm_1QAliceTwo").code()).isEqualTo("payment_method_customer_mismatch");
        assertThat(mallory.get("/v1/accounts/" + mallorysAccount + "/payment_methods").json().get("data")).isEmpty();
        // Even Alice's other account: a customer is one account's.
        String alicesOther = alice.newAccount("Alice's other shop", "usd", "UTC");
        assertThat(attach(alice, alicesOther, "pm_1QAliceTwo").code()).isEqualTo("payment_method_customer_mismatch");

        // Alice's own account may add the second card of its customer, and Mallory her own card.
        assertThat(attach(alice, alicesAccount, "pm_1QAliceTwo").status()).isEqualTo(200);
        stripe.card("pm_1QMallory", "visa", "5556", 3, 2030);
        assertThat(attach(mallory, mallorysAccount, "pm_1QMallory").status()).isEqualTo(200);
    }
}
