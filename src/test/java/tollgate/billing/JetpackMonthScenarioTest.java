package tollgate.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.Fixtures;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * A Jetpack month in two time zones: licenses issued on 5 March 2027, some revoked mid-month, one issued in the
 * last hour of March (UTC), each account invoiced at 00:00 on 1 April in its own zone with exact cents.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class JetpackMonthScenarioTest {
    @Parameter
    TestDatabase database;
    ApiClient api;

    private void advance(String to) {
        Res r = api.post("/v1/test_clock/advance", "{\"to\":\"" + to + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }

    private String issue(String account, String plan) {
        return Fixtures.issueOne(api, account, plan);
    }

    private JsonNode onlyInvoice(String account) {
        JsonNode data = api.get("/v1/accounts/" + account + "/invoices").json().get("data");
        assertThat(data).as("invoices of " + account).hasSize(1);
        return api.get("/v1/invoices/" + data.get(0).get("id").asText()).json();
    }

    private static Map<String, JsonNode> linesByLicense(JsonNode invoice) {
        Map<String, JsonNode> lines = new HashMap<>();
        invoice.get("lines").forEach(l -> lines.put(l.get("license").asText(), l));
        return lines;
    }

    @Test
    void licensesAreBilledPerActiveDayOnTheFirstInEachAccountsZone() {
        api = TestServer.on(database).newTenantAt(java.time.Instant.parse("2027-03-01T00:00:00Z"));
        String plan = Fixtures.licensePlan(api, "usd", 900);
        String berlin = api.newAccount("Berlin agency", "usd", "Europe/Berlin");
        String newYork = api.newAccount("New York agency", "usd", "America/New_York");
        Fixtures.attachCard(api, berlin, "tok_visa");
        Fixtures.attachCard(api, newYork, "tok_visa");

        advance("2027-03-05T10:00:00Z");
        String a1 = issue(berlin, plan), a2 = issue(berlin, plan);
        String b1 = issue(newYork, plan), b2 = issue(newYork, plan);
        api.post("/v1/licenses/" + a1 + "/assign", "{\"site_url\":\"https://a1.example\"}");
        api.post("/v1/licenses/" + b1 + "/assign", "{\"site_url\":\"https://b1.example\"}");

        // 02:00 UTC on 15 March: 03:00 on the 15th in Berlin (CET), 22:00 on the 14th in New York (EDT since the 14th).
        advance("2027-03-15T02:00:00Z");
        api.post("/v1/licenses/" + a2 + "/revoke", null);
        api.post("/v1/licenses/" + b2 + "/revoke", null);

        // 23:30 UTC on 31 March: already 1 April in Berlin (CEST, billed at 22:00 UTC), still 31 March in New York.
        advance("2027-03-31T23:30:00Z");
        String a3 = issue(berlin, plan);
        String b3 = issue(newYork, plan);

        advance("2027-04-02T00:00:00Z");

        JsonNode berlinInvoice = onlyInvoice(berlin);
        assertThat(berlinInvoice.get("billing_date").asText()).isEqualTo("2027-03-31T22:00:00Z");
        Map<String, JsonNode> bl = linesByLicense(berlinInvoice);
        assertThat(bl).containsOnlyKeys(a1, a2);
        assertThat(bl.get(a1).get("days").asInt()).isEqualTo(27);     // 5–31 March
        assertThat(bl.get(a1).get("amount").asLong()).isEqualTo(784);  // 900 × 27 / 31 = 783.87
        assertThat(bl.get(a1).get("site_url").asText()).isEqualTo("https://a1.example");
        assertThat(bl.get(a2).get("days").asInt()).isEqualTo(11);      // 5–15 March
        assertThat(bl.get(a2).get("amount").asLong()).isEqualTo(319);  // 900 × 11 / 31 = 319.35
        assertThat(bl.get(a2).get("site_url").isNull()).isTrue();
        assertThat(berlinInvoice.get("total").asLong()).isEqualTo(1103);

        JsonNode nyInvoice = onlyInvoice(newYork);
        assertThat(nyInvoice.get("billing_date").asText()).isEqualTo("2027-04-01T04:00:00Z");
        Map<String, JsonNode> nl = linesByLicense(nyInvoice);
        assertThat(nl).containsOnlyKeys(b1, b2, b3);
        assertThat(nl.get(b1).get("days").asInt()).isEqualTo(27);
        assertThat(nl.get(b1).get("amount").asLong()).isEqualTo(784);
        assertThat(nl.get(b2).get("days").asInt()).isEqualTo(10);      // 5–14 March in New York
        assertThat(nl.get(b2).get("amount").asLong()).isEqualTo(290);  // 900 × 10 / 31 = 290.32
        assertThat(nl.get(b3).get("days").asInt()).isEqualTo(1);       // 31 March in New York
        assertThat(nl.get(b3).get("amount").asLong()).isEqualTo(29);   // 900 / 31 = 29.03
        assertThat(nyInvoice.get("total").asLong()).isEqualTo(1103);

        // Berlin's third license started on 1 April there: it is May's business.
        advance("2027-05-01T12:00:00Z");
        JsonNode may = api.get("/v1/accounts/" + berlin + "/invoices").json().get("data").get(0);
        JsonNode mayInvoice = api.get("/v1/invoices/" + may.get("id").asText()).json();
        assertThat(mayInvoice.get("billing_date").asText()).isEqualTo("2027-04-30T22:00:00Z");
        Map<String, JsonNode> ml = linesByLicense(mayInvoice);
        assertThat(ml).containsOnlyKeys(a1, a3);
        assertThat(ml.get(a3).get("days").asInt()).isEqualTo(30);
        assertThat(ml.get(a3).get("amount").asLong()).isEqualTo(900);
    }
}
