package tollgate.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.core.Json;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.Fixtures;
import tollgate.testing.Scenario;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * Text a caller chose (a site URL, a plan's or a coupon's name) ends up in invoice lines, whose columns are bounded:
 * whatever the API accepted earlier, at its longest, is billed later. A billing run that failed on it would fail on
 * every retry, and the account would never be billed again.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class LongestTextStillBillsTest {
    /** A site URL of exactly 2,000 characters, the most a site URL may have. */
    static final String LONGEST_SITE = "https://example.com/" + "a".repeat(1980);
    static final String LONGEST_NAME = "N".repeat(200);

    @Parameter
    TestDatabase database;

    private static void advance(ApiClient api, String to) {
        Res r = api.post("/v1/test_clock/advance", "{\"to\":\"" + to + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }

    private static JsonNode invoices(ApiClient api, String account) {
        return api.get("/v1/accounts/" + account + "/invoices").json().get("data");
    }

    @Test
    void aLicenseOnTheLongestSiteUrlIsBilledWithTheSiteShortenedInItsDescription() {
        ApiClient api = Scenario.tenantAt(TestServer.on(database), Instant.parse("2030-03-05T10:00:00Z"));
        String plan = api.post("/v1/plans", "{\"name\":\"" + LONGEST_NAME + "\",\"type\":\"license\",\"currency\":\"usd\",\"amount\":3100}")
                .str("id");
        String account = Fixtures.payingAccount(api, "Longsite", "usd");
        String license = Fixtures.issueOne(api, account, plan);
        Res assigned = api.post("/v1/licenses/" + license + "/assign", "{\"site_url\":\"" + LONGEST_SITE + "\"}");
        assertThat(assigned.status()).as(assigned.text()).isEqualTo(200);
        assertThat(assigned.str("site_url")).isEqualTo(LONGEST_SITE);

        advance(api, "2030-04-01T01:00:00Z");

        JsonNode all = invoices(api, account);
        assertThat(all).hasSize(1);
        JsonNode line = all.at("/0/lines/0");
        String description = line.get("description").asText();
        assertThat(description).hasSizeLessThanOrEqualTo(500)
                .startsWith(LONGEST_NAME + " — license …" + line.get("key_suffix").asText() + " (https://example.com/aaa")
                .contains("a…), ")
                .endsWith("), 27 of 31 days of 2030-03, first day 2030-03-05");
        assertThat(line.get("site_url").asText()).isEqualTo(LONGEST_SITE);
        assertThat(line.get("amount").asLong()).isEqualTo(2700);
        // The next 1st is scheduled as usual: April is billed too.
        advance(api, "2030-05-01T01:00:00Z");
        assertThat(invoices(api, account)).hasSize(2);
        Res pdf = api.get("/v1/invoices/" + all.at("/0/id").asText() + "/pdf");
        assertThat(pdf.status()).isEqualTo(200);
    }

    @Test
    void siteUrlsLongerThanTwoThousandCharactersAreRefusedAsTooLong() {
        ApiClient api = TestServer.on(database).newTenant();
        String plan = Fixtures.licensePlan(api, "usd", 900);
        String account = Fixtures.payingAccount(api, "Toolong", "usd");
        String license = Fixtures.issueOne(api, account, plan);
        String key = api.get("/v1/licenses/" + license).str("key");
        // 2,001 characters as given; and 1,995 without a scheme, which "https://" makes 2,003.
        for (String tooLong : new String[] {LONGEST_SITE + "a", "example.com/" + "b".repeat(1983), "x".repeat(3000)}) {
            Res assign = api.post("/v1/licenses/" + license + "/assign", "{\"site_url\":" + Json.write(tooLong) + "}");
            assertThat(assign.status()).as(assign.text()).isEqualTo(422);
            assertThat(assign.code()).isEqualTo("site_url_too_long");
            assertThat(assign.str("field")).isEqualTo("site_url");
            Res activate = TestServer.on(database).anonymous().post("/v1/licenses/activate",
                    "{\"key\":\"" + key + "\",\"site_url\":" + Json.write(tooLong) + "}");
            assertThat(activate.status()).as(activate.text()).isEqualTo(422);
            assertThat(activate.code()).isEqualTo("site_url_too_long");
        }
        assertThat(api.get("/v1/licenses/" + license).str("status")).isEqualTo("unassigned");
    }

    @Test
    void theLongestPlanAndCouponNamesStillBill() {
        ApiClient api = Scenario.tenantAt(TestServer.on(database), Instant.parse("2030-03-05T10:00:00Z"));
        String account = Fixtures.payingAccount(api, "Longnames", "usd");
        String seats = api.post("/v1/plans", "{\"name\":\"" + LONGEST_NAME + "\",\"type\":\"seats\",\"currency\":\"usd\","
                + "\"amount\":99999999,\"included_seats\":0,\"seat_amount\":99999999}").str("id");
        String usage = api.post("/v1/plans", "{\"name\":\"" + LONGEST_NAME + "\",\"type\":\"usage\",\"currency\":\"usd\","
                + "\"unit_amount\":1}").str("id");
        String coupon = api.post("/v1/coupons", "{\"name\":\"" + LONGEST_NAME + "\",\"amount_off\":99999999,\"currency\":\"usd\","
                + "\"duration\":\"forever\"}").str("id");
        Res sub = api.post("/v1/accounts/" + account + "/subscriptions",
                "{\"plan\":\"" + seats + "\",\"seats\":999999,\"coupon\":\"" + coupon + "\"}");
        assertThat(sub.status()).as(sub.text()).isEqualTo(200);
        Res metered = api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + usage + "\"}");
        assertThat(metered.status()).as(metered.text()).isEqualTo(200);
        assertThat(api.post("/v1/usage_events", "{\"id\":\"e1\",\"subscription\":\"" + metered.str("id") + "\",\"quantity\":"
                + 1_000_000_000_000L + "}").status()).isEqualTo(200);
        advance(api, "2030-03-20T10:00:00Z");
        Res more = api.post("/v1/subscriptions/" + sub.str("id"), "{\"seats\":1000000}");
        assertThat(more.status()).as(more.text()).isEqualTo(200);

        advance(api, "2030-04-05T11:00:00Z");

        JsonNode all = invoices(api, account);
        assertThat(all).hasSize(2);
        JsonNode renewal = all.get(0);
        assertThat(renewal.get("lines")).extracting(l -> l.get("kind").asText())
                .containsExactlyInAnyOrder("subscription", "seats", "proration", "usage");
        renewal.get("lines").forEach(l -> assertThat(l.get("description").asText()).startsWith(LONGEST_NAME));
        assertThat(renewal.at("/discounts/0/description").asText()).startsWith(LONGEST_NAME);
        // 99,999,999 + 1,000,000 × 99,999,999 + 16 of 31 days of one seat (51,612,903) + 10^12 units at 1.
        assertThat(renewal.get("subtotal").asLong()).isEqualTo(99_999_999L + 99_999_999_000_000L + 51_612_903L + 1_000_000_000_000L);
    }
}
