package tollgate.invoicing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
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
 * Where one-off charges meet the rest of issue #10: several invoices at one instant (decision 022) and the account's
 * credit balance (decision 021), as a review of the merged work found them.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class ChargesThatMeetTest {
    @Parameter
    TestDatabase database;
    ApiClient api;
    String account;

    @BeforeEach
    void tenant() {
        api = Scenario.tenantAt(TestServer.on(database), Instant.parse("2030-03-10T10:00:00Z"));
        account = api.newAccount("Agency", "usd", "UTC");
    }

    private static JsonNode ok(Res r) {
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json();
    }

    @Test
    void anItemTakenByTheFirstOfTwoInvoicesAtOneInstantIsListedWithThatInvoice() {
        Fixtures.attachCard(api, account, "tok_visa");
        JsonNode item = ok(api.post("/v1/accounts/" + account + "/invoice_items", "{\"amount\":500,\"description\":\"Setup\"}"));
        ok(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + Fixtures.flatPlan(api, "usd") + "\"}"));
        ok(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + Fixtures.flatPlan(api, "usd") + "\"}"));
        JsonNode invoices = api.get("/v1/accounts/" + account + "/invoices").json().get("data");
        assertThat(invoices).hasSize(2);
        String first = invoices.get(1).get("id").asText();
        // The first invoice: 2500 and the item's 500; the second, a moment's follow-up at the same instant: 2500.
        assertThat(invoices.get(1).get("total").asLong()).isEqualTo(3000);
        assertThat(invoices.get(0).get("total").asLong()).isEqualTo(2500);

        JsonNode listed = ok(api.get("/v1/accounts/" + account + "/invoice_items")).at("/data/0");
        assertThat(listed.get("id").asText()).isEqualTo(item.get("id").asText());
        assertThat(listed.get("status").asText()).isEqualTo("invoiced");
        assertThat(listed.get("invoice").asText()).isEqualTo(first);
        Res delete = api.delete("/v1/invoice_items/" + item.get("id").asText());
        assertThat(delete.status()).as(delete.text()).isEqualTo(409);
    }

    @Test
    void aFinalizedOneOffInvoiceTakesTheAccountsCreditBeforeTheCard() {
        Fixtures.attachCard(api, account, "tok_visa");
        ok(api.post("/v1/accounts/" + account + "/balance_transactions", "{\"amount\":-500,\"currency\":\"usd\"}"));
        String draft = ok(api.post("/v1/accounts/" + account + "/invoices",
                "{\"lines\":[{\"description\":\"Site migration\",\"amount\":2500}]}")).get("id").asText();
        JsonNode paid = ok(api.post("/v1/invoices/" + draft + "/finalize", null));
        assertThat(paid.get("applied_balance").asLong()).isEqualTo(500);
        assertThat(paid.get("amount_paid").asLong()).isEqualTo(2000);
        assertThat(paid.get("amount_due").asLong()).isZero();
        assertThat(paid.get("status").asText()).isEqualTo("paid");
        assertThat(ok(api.get("/v1/accounts/" + account)).get("balance").asLong()).isZero();
        JsonNode attempts = ok(api.get("/v1/invoices/" + draft + "/payment_attempts")).get("data");
        assertThat(attempts).singleElement().satisfies(a -> assertThat(a.get("amount").asLong()).isEqualTo(2000));
    }

    @Test
    void creditThatCoversAOneOffInvoiceNeedsNoCard() {
        ok(api.post("/v1/accounts/" + account + "/balance_transactions", "{\"amount\":-3000,\"currency\":\"usd\"}"));
        String draft = ok(api.post("/v1/accounts/" + account + "/invoices",
                "{\"lines\":[{\"description\":\"Site migration\",\"amount\":2500}]}")).get("id").asText();
        JsonNode paid = ok(api.post("/v1/invoices/" + draft + "/finalize", null));
        assertThat(paid.get("status").asText()).isEqualTo("paid");
        assertThat(paid.get("applied_balance").asLong()).isEqualTo(2500);
        assertThat(ok(api.get("/v1/accounts/" + account)).get("balance").asLong()).isEqualTo(-500);
        assertThat(ok(api.get("/v1/invoices/" + draft + "/payment_attempts")).get("data")).isEmpty();
    }
}
