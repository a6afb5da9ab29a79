package tollgate.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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

/** SPEC §5 and §10: attaching, listing, making primary and deleting payment methods. */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class PaymentMethodsApiTest {
    @Parameter
    TestDatabase database;
    ApiClient api;
    PaymentMethodCalls pm;
    String account;

    @BeforeEach
    void tenant() {
        api = TestServer.on(database).newTenant();
        pm = new PaymentMethodCalls(api);
        account = api.newAccount("Acme", "usd", "UTC");
    }

    @Test
    void attachingATokenAnswersThePaymentMethodWithItsCardDetailsOnly() {
        Res r = pm.attach(account, "{\"token\":\"tok_visa\"}");
        assertThat(r.status()).isEqualTo(200);
        JsonNode m = r.json();
        assertThat(m.get("id").asText()).startsWith("pm_");
        assertThat(m.get("object").asText()).isEqualTo("payment_method");
        assertThat(m.get("account").asText()).isEqualTo(account);
        assertThat(m.get("brand").asText()).isEqualTo("visa");
        assertThat(m.get("last4").asText()).isEqualTo("4242");
        assertThat(m.get("exp_month").asInt()).isEqualTo(12);
        assertThat(m.get("exp_year").asInt()).isEqualTo(2034);
        assertThat(m.get("primary").asBoolean()).isTrue();
        assertThat(m.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        assertThat(m.properties()).extracting(java.util.Map.Entry::getKey).containsExactlyInAnyOrder(
                "id", "object", "account", "brand", "last4", "exp_month", "exp_year", "primary", "created_at");
        assertThat(r.text()).doesNotContain("tok_visa");
    }

    @Test
    void everySandboxTokenAttachesWithItsBrandLast4AndExpiry() {
        String[][] cards = {
                {"tok_visa", "visa", "4242"}, {"tok_mastercard", "mastercard", "4444"},
                {"tok_chargeDeclined", "visa", "0002"}, {"tok_chargeDeclinedInsufficientFunds", "visa", "9995"},
                {"tok_chargeDeclinedExpiredCard", "visa", "0069"}, {"tok_chargeDeclinedLostCard", "visa", "9987"},
                {"tok_chargeDeclinedOnce", "visa", "0341"}};
        for (String[] card : cards) {
            Res r = pm.attach(account, "{\"token\":\"" + card[0] + "\"}");
            assertThat(r.status()).as(card[0]).isEqualTo(200);
            assertThat(r.str("brand")).as(card[0]).isEqualTo(card[1]);
            assertThat(r.str("last4")).as(card[0]).isEqualTo(card[2]);
            assertThat(r.json().get("exp_month").asInt()).as(card[0]).isEqualTo(12);
            assertThat(r.json().get("exp_year").asInt()).as(card[0]).isEqualTo(2034);
        }
        assertThat(pm.list(account)).hasSize(cards.length);
    }

    @Test
    void theFirstMethodIsPrimaryAndLaterOnesAreNotUnlessAsked() {
        String first = pm.attached(account, "tok_visa");
        Res second = pm.attach(account, "{\"token\":\"tok_mastercard\"}");
        Res third = pm.attach(account, "{\"token\":\"tok_visa\",\"primary\":false}");
        assertThat(second.json().get("primary").asBoolean()).isFalse();
        assertThat(third.json().get("primary").asBoolean()).isFalse();
        assertThat(pm.primaries(account)).containsExactly(first);
    }

    @Test
    void theFirstMethodIsPrimaryEvenWhenAttachedWithPrimaryFalse() {
        Res r = pm.attach(account, "{\"token\":\"tok_visa\",\"primary\":false}");
        assertThat(r.json().get("primary").asBoolean()).isTrue();
    }

    @Test
    void attachingWithPrimaryTrueDemotesThePreviousPrimary() {
        String first = pm.attached(account, "tok_visa");
        String second = pm.attached(account, "tok_mastercard", true);
        assertThat(pm.primaries(account)).containsExactly(second);
        assertThat(api.get("/v1/accounts/" + account + "/payment_methods").json().at("/data/1/id").asText()).isEqualTo(first);
    }

    @Test
    void theListShowsThePrimaryFirstThenTheOthersOldestFirst() {
        String a = pm.attached(account, "tok_visa");
        String b = pm.attached(account, "tok_mastercard");
        String c = pm.attached(account, "tok_chargeDeclined");
        String d = pm.attached(account, "tok_chargeDeclinedOnce");
        assertThat(pm.ids(account)).containsExactly(a, b, c, d);
        pm.makePrimary(c);
        assertThat(pm.ids(account)).containsExactly(c, a, b, d);
        Res list = api.get("/v1/accounts/" + account + "/payment_methods");
        assertThat(list.str("object")).isEqualTo("list");
        assertThat(list.json().get("has_more").asBoolean()).isFalse();
    }

    @Test
    void theListPagesInItsOwnOrderWithLimitAndStartingAfter() {
        String a = pm.attached(account, "tok_visa");
        String b = pm.attached(account, "tok_mastercard");
        String c = pm.attached(account, "tok_chargeDeclined", true);
        Res page1 = api.get("/v1/accounts/" + account + "/payment_methods?limit=2");
        assertThat(ids(page1)).containsExactly(c, a);
        assertThat(page1.json().get("has_more").asBoolean()).isTrue();
        Res page2 = api.get("/v1/accounts/" + account + "/payment_methods?limit=2&starting_after=" + a);
        assertThat(ids(page2)).containsExactly(b);
        assertThat(page2.json().get("has_more").asBoolean()).isFalse();
        Res afterPrimary = api.get("/v1/accounts/" + account + "/payment_methods?starting_after=" + c);
        assertThat(ids(afterPrimary)).containsExactly(a, b);
    }

    @Test
    void makePrimaryAnswersTheMethodNowPrimaryAndDemotesTheOldOne() {
        String first = pm.attached(account, "tok_visa");
        String second = pm.attached(account, "tok_mastercard");
        Res r = pm.makePrimary(second);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.str("id")).isEqualTo(second);
        assertThat(r.json().get("primary").asBoolean()).isTrue();
        assertThat(r.str("last4")).isEqualTo("4444");
        assertThat(pm.primaries(account)).containsExactly(second);
        assertThat(pm.ids(account)).containsExactly(second, first);
    }

    @Test
    void makePrimaryOnThePrimaryChangesNothing() {
        String first = pm.attached(account, "tok_visa");
        pm.attached(account, "tok_mastercard");
        int events = pm.eventTypes(account).size();
        Res r = pm.makePrimary(first);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("primary").asBoolean()).isTrue();
        assertThat(pm.primaries(account)).containsExactly(first);
        assertThat(pm.eventTypes(account)).hasSize(events);
    }

    @Test
    void deletingThePrimaryPromotesTheOldestRemainingAndSaysWhich() {
        String first = pm.attached(account, "tok_visa");
        String second = pm.attached(account, "tok_mastercard");
        String third = pm.attached(account, "tok_chargeDeclined");
        pm.makePrimary(third);
        // The primary is now the newest; deleting it promotes the oldest of the rest, not the last primary.
        Res r = pm.delete(third);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.str("id")).isEqualTo(third);
        assertThat(r.str("object")).isEqualTo("payment_method");
        assertThat(r.json().get("deleted").asBoolean()).isTrue();
        assertThat(r.str("promoted")).isEqualTo(first);
        assertThat(pm.primaries(account)).containsExactly(first);
        assertThat(pm.ids(account)).containsExactly(first, second);
    }

    @Test
    void deletingANonPrimaryPromotesNothing() {
        String first = pm.attached(account, "tok_visa");
        String second = pm.attached(account, "tok_mastercard");
        Res r = pm.delete(second);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("deleted").asBoolean()).isTrue();
        assertThat(r.json().get("promoted").isNull()).isTrue();
        assertThat(pm.ids(account)).containsExactly(first);
        assertThat(pm.primaries(account)).containsExactly(first);
    }

    @Test
    void deletingTheLastMethodLeavesNoneAndTheNextOneIsPrimaryAgain() {
        String only = pm.attached(account, "tok_visa");
        Res r = pm.delete(only);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("promoted").isNull()).isTrue();
        assertThat(pm.list(account)).isEmpty();
        Res next = pm.attach(account, "{\"token\":\"tok_mastercard\"}");
        assertThat(next.json().get("primary").asBoolean()).isTrue();
    }

    @Test
    void attachingRecordsOneAttachedEventWithTheMethodAsTheApiShowsIt() {
        Res r = pm.attach(account, "{\"token\":\"tok_visa\"}");
        List<JsonNode> events = pm.events(account, "payment_method.attached");
        assertThat(events).hasSize(1);
        JsonNode e = events.get(0);
        assertThat(e.get("account").asText()).isEqualTo(account);
        assertThat(e.get("data")).isEqualTo(r.json());
        assertThat(e.toString()).doesNotContain("tok_visa");
    }

    @Test
    void eachChangeOfAMethodRecordsOneEvent() {
        String first = pm.attached(account, "tok_visa");                    // attached
        String second = pm.attached(account, "tok_mastercard");             // attached
        String third = pm.attached(account, "tok_chargeDeclined", true);    // updated (first demoted), attached
        pm.makePrimary(second);                                             // updated (third demoted), updated (second)
        pm.delete(second);                                                  // detached, updated (first promoted)
        pm.delete(third);                                                   // detached
        assertThat(pm.eventTypes(account)).containsExactly(
                "account.created",
                "payment_method.attached", "payment_method.attached",
                "payment_method.updated", "payment_method.attached",
                "payment_method.updated", "payment_method.updated",
                "payment_method.detached", "payment_method.updated",
                "payment_method.detached");

        List<JsonNode> updates = pm.events(account, "payment_method.updated");
        assertThat(updates).extracting(e -> e.at("/data/id").asText() + ":" + e.at("/data/primary").asBoolean())
                .containsExactly(first + ":false", third + ":false", second + ":true", first + ":true");
        assertThat(updates).allSatisfy(e -> assertThat(e.get("account").asText()).isEqualTo(account));
        List<JsonNode> detached = pm.events(account, "payment_method.detached");
        assertThat(detached).extracting(e -> e.at("/data/id").asText()).containsExactly(second, third);
    }

    @Test
    void hasAnySaysWhetherTheAccountHasAMethodLeft() {
        String tenant = api.tenant.id();
        assertThat(hasAny(tenant, account)).isFalse();
        String id = pm.attached(account, "tok_visa");
        assertThat(hasAny(tenant, account)).isTrue();
        assertThat(hasAny("tnt_someoneelse", account)).isFalse();
        pm.delete(id);
        assertThat(hasAny(tenant, account)).isFalse();
    }

    /** As licensing calls it: inside its own transaction. */
    private boolean hasAny(String tenantId, String accountId) {
        var app = TestServer.on(database).app;
        return app.db.tx(tx -> app.paymentMethods.hasAny(tx, tenantId, accountId));
    }

    @Test
    void anIdempotentAttachRetriedAnswersTheSameMethodAndAttachesOnce() {
        var key = java.util.Map.of("Idempotency-Key", "attach-1");
        Res first = api.post("/v1/accounts/" + account + "/payment_methods", "{\"token\":\"tok_visa\"}", key);
        Res again = api.post("/v1/accounts/" + account + "/payment_methods", "{\"token\":\"tok_visa\"}", key);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.str("id")).isEqualTo(first.str("id"));
        assertThat(pm.list(account)).hasSize(1);
    }

    private static List<String> ids(Res page) {
        return page.json().findValues("id").stream().map(JsonNode::asText).toList();
    }
}
