package tollgate.payments;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/** Bad input to the payment-method routes: a 4xx problem with a stable code, and nothing changed. */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class PaymentMethodMistakesTest {
    @Parameter
    TestDatabase database;
    ApiClient api;
    PaymentMethodCalls pm;
    String account;
    String primary;
    String other;

    @BeforeEach
    void accountWithTwoMethods() {
        api = TestServer.on(database).newTenant();
        pm = new PaymentMethodCalls(api);
        account = api.newAccount("Acme", "usd", "UTC");
        primary = pm.attached(account, "tok_visa");
        other = pm.attached(account, "tok_mastercard");
    }

    @Test
    void anUnknownTokenIs422TokenInvalidOnTheTokenField() {
        for (String token : List.of("tok_unknown", "", "TOK_VISA")) {
            Res r = pm.attach(account, "{\"token\":\"" + token + "\"}");
            assertProblem(r, 422, "token_invalid", "token");
        }
        assertUnchanged();
    }

    @Test
    void aCardNumberSentAsTokenIsRefusedAndStoredNowhere() {
        String number = "4242424242424242";
        Res r = api.post("/v1/accounts/" + account + "/payment_methods", "{\"token\":\"" + number + "\"}",
                java.util.Map.of("Idempotency-Key", "pasted-a-card-number"));
        assertProblem(r, 422, "token_invalid", "token");
        assertThat(r.text()).doesNotContain(number);
        // The idempotency table keeps the answer; the answer must not carry the number either.
        var db = TestServer.on(database).app.db.dsl();
        for (String table : List.of("payment_methods", "idempotency_keys", "events"))
            assertThat(db.fetch("select * from " + table + " where tenant_id = ?", api.tenant.id()).formatCSV())
                    .as(table).doesNotContain(number);
        assertUnchanged();
    }

    @Test
    void aMissingTokenIs422ParameterMissing() {
        assertProblem(pm.attach(account, "{}"), 422, "parameter_missing", "token");
        assertProblem(pm.attach(account, "{\"primary\":true}"), 422, "parameter_missing", "token");
        assertProblem(pm.attach(account, "{\"token\":null}"), 422, "parameter_missing", "token");
        assertProblem(pm.attach(account, null), 422, "parameter_missing", "token");
        assertUnchanged();
    }

    @Test
    void wrongTypesAre422InvalidTypeNamingTheField() {
        assertProblem(pm.attach(account, "{\"token\":4242}"), 422, "invalid_type", "token");
        assertProblem(pm.attach(account, "{\"token\":{\"number\":\"x\"}}"), 422, "invalid_type", "token");
        assertProblem(pm.attach(account, "{\"token\":\"tok_visa\",\"primary\":\"yes\"}"), 422, "invalid_type", "primary");
        assertProblem(pm.attach(account, "{\"token\":\"tok_visa\",\"primary\":1}"), 422, "invalid_type", "primary");
        assertUnchanged();
    }

    @Test
    void unknownFieldsAre422UnknownField() {
        assertProblem(pm.attach(account, "{\"token\":\"tok_visa\",\"number\":\"4242424242424242\"}"), 422, "unknown_field", "number");
        assertProblem(api.post("/v1/payment_methods/" + other + "/make_primary", "{\"default\":true}"), 422, "unknown_field", "default");
        assertUnchanged();
    }

    @Test
    void malformedJsonIs400() {
        assertProblem(pm.attach(account, "{\"token\":"), 400, "malformed_json", null);
        assertUnchanged();
    }

    @Test
    void anUnknownAccountIs404() {
        assertProblem(pm.attach("acct_doesnotexist", "{\"token\":\"tok_visa\"}"), 404, "resource_missing", null);
        assertProblem(api.get("/v1/accounts/acct_doesnotexist/payment_methods"), 404, "resource_missing", null);
        assertUnchanged();
    }

    @Test
    void anotherTenantsAccountIs404() {
        ApiClient stranger = TestServer.on(database).newTenant();
        PaymentMethodCalls theirs = new PaymentMethodCalls(stranger);
        assertProblem(theirs.attach(account, "{\"token\":\"tok_visa\"}"), 404, "resource_missing", null);
        assertProblem(stranger.get("/v1/accounts/" + account + "/payment_methods"), 404, "resource_missing", null);
        assertUnchanged();
    }

    @Test
    void anotherTenantsPaymentMethodIs404AndStaysAsItWas() {
        ApiClient stranger = TestServer.on(database).newTenant();
        PaymentMethodCalls theirs = new PaymentMethodCalls(stranger);
        assertProblem(theirs.makePrimary(other), 404, "resource_missing", null);
        assertProblem(theirs.delete(primary), 404, "resource_missing", null);
        assertProblem(theirs.delete(other), 404, "resource_missing", null);
        assertUnchanged();
    }

    @Test
    void anAlreadyDeletedPaymentMethodIs404() {
        String third = pm.attached(account, "tok_chargeDeclined");
        assertThat(pm.delete(third).status()).isEqualTo(200);
        int events = pm.eventTypes(account).size();
        assertProblem(pm.delete(third), 404, "resource_missing", null);
        assertProblem(pm.makePrimary(third), 404, "resource_missing", null);
        assertThat(pm.eventTypes(account)).hasSize(events);
        assertThat(pm.ids(account)).containsExactly(primary, other);
        assertThat(pm.primaries(account)).containsExactly(primary);
    }

    @Test
    void anUnknownPaymentMethodIs404() {
        assertProblem(pm.delete("pm_doesnotexist"), 404, "resource_missing", null);
        assertProblem(pm.makePrimary("pm_doesnotexist"), 404, "resource_missing", null);
        assertUnchanged();
    }

    @Test
    void startingAfterAMethodOfAnotherAccountIs404() {
        String otherAccount = api.newAccount("Other", "usd", "UTC");
        String theirs = pm.attached(otherAccount, "tok_visa");
        assertProblem(api.get("/v1/accounts/" + account + "/payment_methods?starting_after=" + theirs), 404, "resource_missing", "starting_after");
        assertProblem(api.get("/v1/accounts/" + account + "/payment_methods?starting_after=pm_nope"), 404, "resource_missing", "starting_after");
        assertProblem(api.get("/v1/accounts/" + account + "/payment_methods?limit=0"), 422, "parameter_invalid", "limit");
    }

    @Test
    void aLiveTenantGetsGatewayUnavailableForASandboxToken() {
        ApiClient live = TestServer.on(database).newLiveTenant();
        PaymentMethodCalls livePm = new PaymentMethodCalls(live);
        String liveAccount = live.newAccount("Live Shop", "usd", "UTC");
        assertProblem(livePm.attach(liveAccount, "{\"token\":\"tok_visa\"}"), 422, "gateway_unavailable", null);
        assertThat(livePm.list(liveAccount)).isEmpty();
        assertThat(livePm.eventTypes(liveAccount)).containsExactly("account.created");
    }

    private static void assertProblem(Res r, int status, String code, String field) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("content-type")).startsWith("application/problem+json");
        assertThat(r.code()).as(r.toString()).isEqualTo(code);
        assertThat(r.str("field")).as(r.toString()).isEqualTo(field);
    }

    /** The account still has exactly its two methods, the first primary, and no event beyond attaching them. */
    private void assertUnchanged() {
        assertThat(pm.ids(account)).containsExactly(primary, other);
        assertThat(pm.primaries(account)).containsExactly(primary);
        assertThat(pm.eventTypes(account)).containsExactly("account.created", "payment_method.attached", "payment_method.attached");
    }
}
