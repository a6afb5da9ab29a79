package tollgate.invoicing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.Fixtures;
import tollgate.testing.Scenario;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * Decision 028: a one-off invoice's charge has run when its finalize is answered (issue #10 1.5, in general), and a
 * draft takes the payment terms a subscription takes (collection_method, days_until_due) with the same refusals.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class OneOffCollectionTest {
    private static final String AUDIT = "{\"lines\":[{\"description\":\"Security audit\",\"amount\":10000}]";

    @Parameter
    TestDatabase database;
    ApiClient api;

    @BeforeEach
    void tenant() {
        api = Scenario.tenantAt(TestServer.on(database), Instant.parse("2030-03-10T10:00:00Z"));
    }

    private static JsonNode ok(Res r) {
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json();
    }

    private String draft(String account, String terms) {
        return ok(api.post("/v1/accounts/" + account + "/invoices", AUDIT + terms + "}")).get("id").asText();
    }

    @Test
    void finalizingChargesTheCardBeforeItAnswers() {
        String account = Fixtures.payingAccount(api, "Agency", "usd");
        JsonNode paid = ok(api.post("/v1/invoices/" + draft(account, "") + "/finalize", null));
        assertThat(paid.get("status").asText()).isEqualTo("paid");
        assertThat(paid.get("amount_paid").asLong()).isEqualTo(10000);
        assertThat(paid.get("amount_due").asLong()).isZero();
        assertThat(paid.get("attempt_count").asInt()).isEqualTo(1);
        assertThat(paid.get("next_payment_attempt").isNull()).isTrue();
        assertThat(paid.get("collection_method").asText()).isEqualTo("charge_automatically");
        assertThat(api.get("/v1/test_clock").json().get("now").asText()).isEqualTo("2030-03-10T10:00:00Z");
    }

    @Test
    void aDeclinedCardHasBeenTriedOnceWhenFinalizeAnswers() {
        String account = api.newAccount("Declined", "usd", "UTC");
        Fixtures.attachCard(api, account, "tok_chargeDeclinedInsufficientFunds");
        String id = draft(account, "");
        // An idempotent finalize: the replay answers the same, already tried.
        Map<String, String> key = Map.of("Idempotency-Key", "finalize-" + id);
        JsonNode open = ok(api.post("/v1/invoices/" + id + "/finalize", null, key));
        assertThat(open.get("status").asText()).isEqualTo("open");
        assertThat(open.get("amount_due").asLong()).isEqualTo(10000);
        assertThat(open.get("attempt_count").asInt()).isEqualTo(1);
        // The tenant's default policy (hosting_default) retries three days later.
        assertThat(open.get("next_payment_attempt").asText()).isEqualTo("2030-03-13T10:00:00Z");
        Res replay = api.post("/v1/invoices/" + id + "/finalize", null, key);
        assertThat(replay.json()).isEqualTo(open);
        assertThat(api.get("/v1/invoices/" + id + "/payment_attempts").json().get("data")).hasSize(1);
    }

    @Test
    void chargedAutomaticallyWithoutACardIsRefusedAndKeepsItsDraftAndTheNumber() {
        String account = api.newAccount("No card", "usd", "UTC");
        String id = draft(account, "");
        Res refused = api.post("/v1/invoices/" + id + "/finalize", null);
        assertThat(refused.status()).isEqualTo(402);
        assertThat(refused.code()).isEqualTo("payment_method_required");
        JsonNode still = ok(api.get("/v1/invoices/" + id));
        assertThat(still.get("status").asText()).isEqualTo("draft");
        assertThat(still.get("number").isNull()).isTrue();

        Fixtures.attachCard(api, account, "tok_visa");
        JsonNode paid = ok(api.post("/v1/invoices/" + id + "/finalize", null));
        assertThat(paid.get("number").asText()).isEqualTo("INV-000001");
        assertThat(paid.get("status").asText()).isEqualTo("paid");
    }

    @Test
    void sentToBePaidItIsDueAfterItsDaysAndDunnedFromThen() {
        String account = api.newAccount("By wire", "usd", "Europe/Berlin");
        String id = draft(account, ",\"collection_method\":\"send_invoice\",\"days_until_due\":30");
        JsonNode draft = ok(api.get("/v1/invoices/" + id));
        assertThat(draft.get("collection_method").asText()).isEqualTo("send_invoice");
        assertThat(draft.get("days_until_due").asInt()).isEqualTo(30);
        assertThat(draft.get("due_date").isNull()).isTrue();

        JsonNode open = ok(api.post("/v1/invoices/" + id + "/finalize", null));
        assertThat(open.get("status").asText()).isEqualTo("open");
        assertThat(open.get("attempt_count").asInt()).isZero();
        assertThat(open.get("next_payment_attempt").isNull()).isTrue();
        // 30 calendar days in Berlin from 11:00 CET on Mar 10: 11:00 CEST on Apr 9, 09:00Z.
        assertThat(open.get("due_date").asText()).isEqualTo("2030-04-09T09:00:00Z");
        assertThat(open.get("days_until_due").asInt()).isEqualTo(30);

        ok(api.post("/v1/test_clock/advance", "{\"to\":\"2030-04-09T08:59:59Z\"}"));
        assertThat(ok(api.get("/v1/accounts/" + account + "/entitlements")).get("past_due_amount").asLong()).isZero();
        ok(api.post("/v1/test_clock/advance", "{\"to\":\"2030-04-09T09:00:00Z\"}"));
        JsonNode owed = ok(api.get("/v1/accounts/" + account + "/entitlements"));
        assertThat(owed.get("past_due_amount").asLong()).isEqualTo(10000);
        assertThat(owed.get("next_dunning_step").isNull()).isFalse();
        assertThat(api.get("/v1/invoices/" + id + "/payment_attempts").json().get("data")).isEmpty();
    }

    @Test
    void badTermsAreRefusedNamingTheFieldAndMakeNoDraft() {
        String account = Fixtures.payingAccount(api, "Agency", "usd");
        String[][] cases = {
                {",\"collection_method\":\"send_invoice\"", "days_until_due", "parameter_missing"},
                {",\"days_until_due\":10", "days_until_due", "parameter_not_applicable"},
                {",\"collection_method\":\"charge_automatically\",\"days_until_due\":10", "days_until_due", "parameter_not_applicable"},
                {",\"collection_method\":\"send_invoice\",\"days_until_due\":366", "days_until_due", "parameter_invalid"},
                {",\"collection_method\":\"send_invoice\",\"days_until_due\":-1", "days_until_due", "parameter_invalid"},
                {",\"collection_method\":\"wire\"", "collection_method", "parameter_invalid"},
                {",\"collection_method\":\"send_invoice\",\"days_until_due\":\"30\"", "days_until_due", "invalid_type"},
        };
        for (String[] c : cases) {
            Res r = api.post("/v1/accounts/" + account + "/invoices", AUDIT + c[0] + "}");
            assertThat(r.status()).as(c[0]).isEqualTo(422);
            assertThat(r.json().get("field").asText()).as(c[0]).isEqualTo(c[1]);
            assertThat(r.code()).as(c[0]).isEqualTo(c[2]);
        }
        assertThat(api.get("/v1/accounts/" + account + "/invoices").json().get("data")).isEmpty();
    }
}
