package tollgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.StringJoiner;
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

/** Issue #10 §2, decision 028: metadata on subscriptions and invoices, with Stripe's rules (decision 024). */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class SubscriptionAndInvoiceMetadataTest {
    @Parameter
    TestDatabase database;
    ApiClient api;
    String account;
    String plan;

    @BeforeEach
    void tenant() {
        api = Scenario.tenantAt(TestServer.on(database), Instant.parse("2030-03-10T10:00:00Z"));
        account = Fixtures.payingAccount(api, "Agency", "usd");
        plan = Fixtures.flatPlan(api, "usd");
    }

    private static JsonNode ok(Res r) {
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json();
    }

    private static String keys(int n) {
        StringJoiner j = new StringJoiner(",", "{", "}");
        for (int i = 1; i <= n; i++) j.add("\"k" + i + "\":\"v\"");
        return j.toString();
    }

    /** Each bad metadata object, the field it names and the code. */
    private static String[][] bad(String wrap) {
        return new String[][] {
                {String.format(wrap, keys(51)), "metadata", "metadata_too_many_keys"},
                {String.format(wrap, "{\"note\":\"" + "v".repeat(501) + "\"}"), "metadata.note", "metadata_value_too_long"},
                {String.format(wrap, "{\"" + "k".repeat(41) + "\":\"v\"}"), "metadata", "metadata_key_invalid"},
                {String.format(wrap, "{\"n\":5}"), "metadata.n", "invalid_type"},
                {String.format(wrap, "[\"a\"]"), "metadata", "invalid_type"},
        };
    }

    private static void refused(Res r, String[] c) {
        assertThat(r.status()).as(c[0]).isEqualTo(422);
        assertThat(r.json().get("field").asText()).as(c[0]).isEqualTo(c[1]);
        assertThat(r.code()).as(c[0]).isEqualTo(c[2]);
    }

    @Test
    void aSubscriptionTakesMetadataAtSignupAndMergesUpdatesEvenWhenCanceled() {
        JsonNode sub = ok(api.post("/v1/accounts/" + account + "/subscriptions",
                "{\"plan\":\"" + plan + "\",\"metadata\":{\"crm_id\":\"42\",\"tier\":\"gold\"}}"));
        String id = sub.get("id").asText();
        assertThat(sub.get("metadata").toString()).isEqualTo("{\"crm_id\":\"42\",\"tier\":\"gold\"}");
        assertThat(ok(api.get("/v1/subscriptions/" + id)).get("metadata").toString()).isEqualTo("{\"crm_id\":\"42\",\"tier\":\"gold\"}");

        JsonNode merged = ok(api.post("/v1/subscriptions/" + id, "{\"metadata\":{\"tier\":\"\",\"region\":\"eu\"}}"));
        assertThat(merged.get("metadata").toString()).isEqualTo("{\"crm_id\":\"42\",\"region\":\"eu\"}");
        assertThat(merged.get("status").asText()).isEqualTo("active");
        // Metadata survives the billing run writing the subscription again at its renewal.
        ok(api.post("/v1/test_clock/advance", "{\"to\":\"2030-04-10T10:00:01Z\"}"));
        JsonNode renewed = ok(api.get("/v1/subscriptions/" + id));
        assertThat(renewed.get("current_period_start").asText()).isEqualTo("2030-04-10T10:00:00Z");
        assertThat(renewed.get("metadata").toString()).isEqualTo("{\"crm_id\":\"42\",\"region\":\"eu\"}");

        ok(api.post("/v1/subscriptions/" + id + "/cancel", "{}"));
        JsonNode canceled = ok(api.post("/v1/subscriptions/" + id, "{\"metadata\":{\"reason\":\"moved\"}}"));
        assertThat(canceled.get("status").asText()).isEqualTo("canceled");
        assertThat(canceled.at("/metadata/reason").asText()).isEqualTo("moved");
        assertThat(api.post("/v1/subscriptions/" + id, "{\"seats\":3,\"metadata\":{\"a\":\"b\"}}").code()).isEqualTo("subscription_canceled");
        assertThat(ok(api.get("/v1/subscriptions/" + id)).get("metadata")).hasSize(3);
    }

    @Test
    void aSubscriptionWithoutMetadataShowsAnEmptyObject() {
        JsonNode sub = ok(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\"}"));
        assertThat(sub.get("metadata").isObject()).isTrue();
        assertThat(sub.get("metadata")).isEmpty();
    }

    @Test
    void badSubscriptionMetadataIsRefusedAndChangesNothing() {
        for (String[] c : bad("{\"plan\":\"" + plan + "\",\"metadata\":%s}"))
            refused(api.post("/v1/accounts/" + account + "/subscriptions", c[0]), c);
        assertThat(api.get("/v1/accounts/" + account + "/subscriptions").json().get("data")).isEmpty();
        assertThat(api.get("/v1/accounts/" + account + "/invoices").json().get("data")).isEmpty();

        String id = ok(api.post("/v1/accounts/" + account + "/subscriptions",
                "{\"plan\":\"" + plan + "\",\"metadata\":" + keys(50) + "}")).get("id").asText();
        for (String[] c : bad("{\"metadata\":%s}")) refused(api.post("/v1/subscriptions/" + id, c[0]), c);
        // A 51st key is refused although the request names only one.
        refused(api.post("/v1/subscriptions/" + id, "{\"metadata\":{\"one_more\":\"x\"}}"),
                new String[] {"one more", "metadata", "metadata_too_many_keys"});
        // Refused with a seat change: neither happens.
        refused(api.post("/v1/subscriptions/" + id, "{\"cancel_at_period_end\":true,\"metadata\":{\"n\":5}}"),
                new String[] {"with a change", "metadata.n", "invalid_type"});
        JsonNode after = ok(api.get("/v1/subscriptions/" + id));
        assertThat(after.get("metadata")).hasSize(50);
        assertThat(after.get("cancel_at_period_end").asBoolean()).isFalse();
        assertThat(ok(api.post("/v1/subscriptions/" + id, "{\"metadata\":{\"k1\":\"\",\"one_more\":\"x\"}}")).get("metadata")).hasSize(50);
    }

    @Test
    void anInvoiceTakesMetadataInAnyStatus() {
        String draft = ok(api.post("/v1/accounts/" + account + "/invoices",
                "{\"lines\":[{\"description\":\"Audit\",\"amount\":10000}]}")).get("id").asText();
        JsonNode onDraft = ok(api.post("/v1/invoices/" + draft, "{\"metadata\":{\"po\":\"PO-7\"}}"));
        assertThat(onDraft.get("status").asText()).isEqualTo("draft");
        assertThat(onDraft.get("metadata").toString()).isEqualTo("{\"po\":\"PO-7\"}");
        JsonNode paid = ok(api.post("/v1/invoices/" + draft + "/finalize", null));
        assertThat(paid.get("status").asText()).isEqualTo("paid");
        assertThat(paid.get("metadata").toString()).isEqualTo("{\"po\":\"PO-7\"}");
        JsonNode onPaid = ok(api.post("/v1/invoices/" + draft, "{\"metadata\":{\"po\":\"\",\"ledger\":\"4400\"}}"));
        assertThat(onPaid.get("metadata").toString()).isEqualTo("{\"ledger\":\"4400\"}");
        assertThat(onPaid.get("amount_paid").asLong()).isEqualTo(10000);
        assertThat(onPaid.get("status").asText()).isEqualTo("paid");

        String other = ok(api.post("/v1/accounts/" + account + "/invoices",
                "{\"lines\":[{\"description\":\"Theme\",\"amount\":500}]}")).get("id").asText();
        ok(api.post("/v1/invoices/" + other + "/void", null));
        assertThat(ok(api.post("/v1/invoices/" + other, "{\"metadata\":{\"why\":\"duplicate\"}}")).at("/metadata/why").asText())
                .isEqualTo("duplicate");
        assertThat(api.get("/v1/events?type=invoice.updated").json().get("data")).hasSize(3);
        // A request that changes nothing records nothing.
        ok(api.post("/v1/invoices/" + other, "{\"metadata\":{\"why\":\"duplicate\"}}"));
        assertThat(api.get("/v1/events?type=invoice.updated").json().get("data")).hasSize(3);
    }

    @Test
    void badInvoiceMetadataIsRefusedAndChangesNothing() {
        String id = ok(api.post("/v1/accounts/" + account + "/invoices",
                "{\"lines\":[{\"description\":\"Audit\",\"amount\":10000}]}")).get("id").asText();
        ok(api.post("/v1/invoices/" + id, "{\"metadata\":" + keys(50) + "}"));
        for (String[] c : bad("{\"metadata\":%s}")) refused(api.post("/v1/invoices/" + id, c[0]), c);
        refused(api.post("/v1/invoices/" + id, "{\"metadata\":{\"one_more\":\"x\"}}"),
                new String[] {"one more", "metadata", "metadata_too_many_keys"});
        refused(api.post("/v1/invoices/" + id, "{}"), new String[] {"none", "metadata", "parameter_missing"});
        refused(api.post("/v1/invoices/" + id, "{\"metadata\":{},\"lines\":[]}"), new String[] {"lines", "lines", "unknown_field"});
        assertThat(api.post("/v1/invoices/inv_nothing", "{\"metadata\":{\"a\":\"b\"}}").status()).isEqualTo(404);
        JsonNode after = ok(api.get("/v1/invoices/" + id));
        assertThat(after.get("metadata")).hasSize(50);
        assertThat(after.at("/metadata/k1").asText()).isEqualTo("v");
        assertThat(after.get("lines")).hasSize(1);
    }
}
