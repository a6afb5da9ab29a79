package tollgate.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
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
 * A new time zone takes effect from the next period: the license month in progress closes in the old zone, the
 * next one is counted and billed in the new zone; an account with nothing counted in its zone changes at once.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class TimeZoneChangeTest {
    @Parameter
    TestDatabase database;

    private static JsonNode ok(Res r) {
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json();
    }

    @Test
    void theLicenseMonthInProgressClosesInTheOldZoneAndTheNextIsBilledInTheNewOne() {
        ApiClient api = Scenario.tenantAt(TestServer.on(database), Instant.parse("2030-03-10T10:00:00Z"));
        String account = api.newPayingAccount("Berlin shop", "usd", "Europe/Berlin");
        Fixtures.issueOne(api, account, Fixtures.licensePlan(api, "usd", 900));
        ok(api.post("/v1/test_clock/advance", "{\"to\":\"2030-03-15T12:00:00Z\"}"));

        JsonNode asked = ok(api.post("/v1/accounts/" + account, "{\"timezone\":\"America/New_York\"}"));
        assertThat(asked.get("timezone").asText()).isEqualTo("Europe/Berlin");
        assertThat(asked.get("pending_timezone").asText()).isEqualTo("America/New_York");

        ok(api.post("/v1/test_clock/advance", "{\"to\":\"2030-05-02T00:00:00Z\"}"));
        JsonNode invoices = api.get("/v1/accounts/" + account + "/invoices").json().get("data");
        assertThat(invoices).hasSize(2);
        // March in Berlin: 00:00 on 1 April CEST; 22 of 31 days, 900 × 22 / 31 = 638.71 → 639.
        assertThat(invoices.at("/1/billing_date").asText()).isEqualTo("2030-03-31T22:00:00Z");
        assertThat(invoices.at("/1/total").asLong()).isEqualTo(639);
        // April in New York: 00:00 on 1 May EDT; all 30 days.
        assertThat(invoices.at("/0/billing_date").asText()).isEqualTo("2030-05-01T04:00:00Z");
        assertThat(invoices.at("/0/lines/0/days").asInt()).isEqualTo(30);
        assertThat(invoices.at("/0/total").asLong()).isEqualTo(900);

        JsonNode after = ok(api.get("/v1/accounts/" + account));
        assertThat(after.get("timezone").asText()).isEqualTo("America/New_York");
        assertThat(after.get("pending_timezone").isNull()).isTrue();
    }

    @Test
    void withNothingCountedInItsZoneTheAccountChangesAtOnceAndAskingForTheOldZoneDropsAWaitingOne() {
        ApiClient api = Scenario.tenantAt(TestServer.on(database), Instant.parse("2030-03-10T10:00:00Z"));
        String account = api.newPayingAccount("Shop", "usd", "Europe/Berlin");
        JsonNode now = ok(api.post("/v1/accounts/" + account, "{\"timezone\":\"Asia/Tokyo\"}"));
        assertThat(now.get("timezone").asText()).isEqualTo("Asia/Tokyo");
        assertThat(now.get("pending_timezone").isNull()).isTrue();

        Fixtures.issueOne(api, account, Fixtures.licensePlan(api, "usd", 900));
        assertThat(ok(api.post("/v1/accounts/" + account, "{\"timezone\":\"UTC\"}")).get("pending_timezone").asText()).isEqualTo("UTC");
        JsonNode back = ok(api.post("/v1/accounts/" + account, "{\"timezone\":\"Asia/Tokyo\"}"));
        assertThat(back.get("timezone").asText()).isEqualTo("Asia/Tokyo");
        assertThat(back.get("pending_timezone").isNull()).isTrue();
    }
}
