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

/** End to end through invoices: a prepaid monthly plan signed up on the 4th, and a 20% forever coupon on a seats plan. */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class PrepaidPlanInvoicesTest {
    @Parameter
    TestDatabase database;

    private static JsonNode invoices(ApiClient api, String account) {
        return api.get("/v1/accounts/" + account + "/invoices").json().get("data");
    }

    private static String id(Res r) {
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.str("id");
    }

    @Test
    void aPrepaidMonthlyPlanSignedUpOnTheFourthIsInvoicedAtSignupAndOnEveryFourth() {
        ApiClient api = Scenario.tenantAt(TestServer.on(database), Instant.parse("2030-03-04T09:30:00Z"));
        String account = api.newPayingAccount("Berlin shop", "usd", "Europe/Berlin");
        String plan = id(api.post("/v1/plans", "{\"name\":\"Hosting S\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":2500}"));
        id(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\"}"));

        JsonNode first = invoices(api, account);
        assertThat(first).hasSize(1);
        assertThat(first.at("/0/number").asText()).isEqualTo("INV-000001");
        assertThat(first.at("/0/billing_date").asText()).isEqualTo("2030-03-04T09:30:00Z");
        assertThat(first.at("/0/total").asLong()).isEqualTo(2500);
        assertThat(first.at("/0/lines/0/kind").asText()).isEqualTo("subscription");
        assertThat(first.at("/0/lines/0/period_start").asText()).isEqualTo("2030-03-04T09:30:00Z");
        // 10:30 in Berlin each month: CET (UTC+1) in March, CEST (UTC+2) from 31 March.
        assertThat(first.at("/0/lines/0/period_end").asText()).isEqualTo("2030-04-04T08:30:00Z");

        api.post("/v1/test_clock/advance", "{\"to\":\"2030-05-05T00:00:00Z\"}");
        JsonNode all = invoices(api, account);
        assertThat(all).hasSize(3);
        assertThat(all.at("/0/billing_date").asText()).isEqualTo("2030-05-04T08:30:00Z");
        assertThat(all.at("/1/billing_date").asText()).isEqualTo("2030-04-04T08:30:00Z");
        assertThat(all.at("/0/number").asText()).isEqualTo("INV-000003");
        assertThat(all.at("/1/total").asLong()).isEqualTo(2500);
        assertThat(all.at("/0/total").asLong()).isEqualTo(2500);
    }

    @Test
    void aTwentyPercentForeverCouponOnASeatsPlanTakesAFifthOfEveryInvoice() {
        ApiClient api = Scenario.tenantAt(TestServer.on(database), Instant.parse("2030-01-04T12:00:00Z"));
        String account = api.newPayingAccount("Agency", "usd", "UTC");
        String plan = id(api.post("/v1/plans", "{\"name\":\"Agency\",\"type\":\"seats\",\"currency\":\"usd\",\"amount\":4900,"
                + "\"included_seats\":5,\"seat_amount\":800}"));
        String coupon = id(api.post("/v1/coupons", "{\"name\":\"Partner\",\"percent_off\":20,\"duration\":\"forever\"}"));
        id(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\",\"seats\":7,\"coupon\":\"" + coupon + "\"}"));
        api.post("/v1/test_clock/advance", "{\"to\":\"2030-02-05T00:00:00Z\"}");

        JsonNode all = invoices(api, account);
        assertThat(all).hasSize(2);
        for (JsonNode invoice : all) {
            // 4900 base + 2 × 800 seats = 6500; 20% = 1300; 5200 charged to the card.
            assertThat(invoice.get("subtotal").asLong()).isEqualTo(6500);
            assertThat(invoice.get("discount").asLong()).isEqualTo(1300);
            assertThat(invoice.get("total").asLong()).isEqualTo(5200);
            assertThat(invoice.get("amount_paid").asLong()).isEqualTo(5200);
            assertThat(invoice.get("amount_due").asLong()).isEqualTo(0);
            assertThat(invoice.get("status").asText()).isEqualTo("paid");
        }
    }
}
