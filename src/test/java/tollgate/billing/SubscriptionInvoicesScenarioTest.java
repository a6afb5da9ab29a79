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
import tollgate.testing.Scenario;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/** End to end through invoices: a 14-day trial, and a post-paid usage plan started Oct 26 and billed Nov 26. */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class SubscriptionInvoicesScenarioTest {
    @Parameter
    TestDatabase database;

    private static String id(Res r) {
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.str("id");
    }

    private static JsonNode invoices(ApiClient api, String account) {
        return api.get("/v1/accounts/" + account + "/invoices").json().get("data");
    }

    private static void advance(ApiClient api, String to) {
        assertThat(api.post("/v1/test_clock/advance", "{\"to\":\"" + to + "\"}").status()).isEqualTo(200);
    }

    @Test
    void aFourteenDayTrialBillsNothingUntilItEndsThenTheFirstPeriod() {
        ApiClient api = Scenario.tenantAt(TestServer.on(database), Instant.parse("2030-03-20T09:00:00Z"));
        String account = api.newPayingAccount("Trial shop", "usd", "Europe/Berlin");
        String plan = id(api.post("/v1/plans", "{\"name\":\"Hosting M\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":2500,\"trial_days\":14}"));
        Res sub = api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\"}");
        assertThat(sub.str("status")).isEqualTo("trialing");
        // 10:00 in Berlin on 3 April, which is CEST by then.
        assertThat(sub.str("trial_end")).isEqualTo("2030-04-03T08:00:00Z");
        assertThat(invoices(api, account)).isEmpty();

        advance(api, "2030-04-03T07:59:59Z");
        assertThat(invoices(api, account)).isEmpty();

        advance(api, "2030-04-04T00:00:00Z");
        JsonNode all = invoices(api, account);
        assertThat(all).hasSize(1);
        assertThat(all.at("/0/billing_date").asText()).isEqualTo("2030-04-03T08:00:00Z");
        assertThat(all.at("/0/total").asLong()).isEqualTo(2500);
        assertThat(all.at("/0/lines/0/period_end").asText()).isEqualTo("2030-05-03T08:00:00Z");
        assertThat(api.get("/v1/subscriptions/" + sub.str("id")).str("status")).isEqualTo("active");
    }

    @Test
    void aPostPaidUsagePlanStartedOctober26IsBilledNovember26ForItsTieredUsage() {
        ApiClient api = Scenario.tenantAt(TestServer.on(database), Instant.parse("2030-10-26T12:00:00Z"));
        String account = api.newPayingAccount("Metered shop", "usd", "UTC");
        String plan = id(api.post("/v1/plans", "{\"name\":\"Requests\",\"type\":\"usage\",\"currency\":\"usd\","
                + "\"tiers\":[{\"up_to\":1000,\"unit_amount\":10},{\"up_to\":null,\"unit_amount\":5}]}"));
        String sub = id(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\"}"));
        assertThat(invoices(api, account)).isEmpty();

        advance(api, "2030-11-01T00:00:00Z");
        assertThat(api.post("/v1/usage_events", "{\"id\":\"u1\",\"subscription\":\"" + sub + "\",\"quantity\":600}").status()).isEqualTo(200);
        advance(api, "2030-11-20T00:00:00Z");
        assertThat(api.post("/v1/usage_events/batch", "{\"events\":[{\"id\":\"u2\",\"subscription\":\"" + sub + "\",\"quantity\":400},"
                + "{\"id\":\"u3\",\"subscription\":\"" + sub + "\",\"quantity\":500},"
                + "{\"id\":\"u1\",\"subscription\":\"" + sub + "\",\"quantity\":600}]}").json().get("duplicates").asInt()).isEqualTo(1);

        advance(api, "2030-11-27T00:00:00Z");
        JsonNode all = invoices(api, account);
        assertThat(all).hasSize(1);
        assertThat(all.at("/0/billing_date").asText()).isEqualTo("2030-11-26T12:00:00Z");
        assertThat(all.at("/0/lines/0/kind").asText()).isEqualTo("usage");
        assertThat(all.at("/0/lines/0/quantity").asLong()).isEqualTo(1500);
        // 1,000 × 10 + 500 × 5
        assertThat(all.at("/0/total").asLong()).isEqualTo(12500);
    }
}
