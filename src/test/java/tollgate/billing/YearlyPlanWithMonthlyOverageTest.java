package tollgate.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.IssuedInvoices;
import tollgate.testing.IssuedInvoices.Head;
import tollgate.testing.IssuedInvoices.Line;
import tollgate.testing.Scenario;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * End to end through issued invoices: SPEC §2 "a yearly flat or seats plan still bills its add-ons and overages
 * monthly, on the same day of month". As decision 009 models it, the overage is a usage subscription signed up at
 * the same instant as the yearly plan, so its monthly cycles end on the yearly plan's monthly dates; and a seat
 * increase on the yearly plan is billed on the next of those monthly dates, not at the year's end.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class YearlyPlanWithMonthlyOverageTest {
    @Parameter
    TestDatabase database;
    ApiClient api;

    private static String id(Res r) {
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.str("id");
    }

    private void advance(String to) {
        Res r = api.post("/v1/test_clock/advance", "{\"to\":\"" + to + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }

    private void use(String subscription, String eventId, long quantity) {
        Res r = api.post("/v1/usage_events", "{\"id\":\"" + eventId + "\",\"subscription\":\"" + subscription + "\",\"quantity\":" + quantity + "}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }

    private Res seats(String subscription, int seats) {
        Res r = api.post("/v1/subscriptions/" + subscription, "{\"seats\":" + seats + "}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r;
    }

    @Test
    void aYearlySeatsPlanWithAMonthlyOverageIsInvoicedOnThe15thOfEveryMonthAndRenewsOnlyAfterTwelve() {
        // 10:00 in New York: 15:00 UTC in winter (EST), 14:00 UTC from 2030-03-10 to 11-03 (EDT).
        api = Scenario.tenantAt(TestServer.on(database), Instant.parse("2030-01-15T15:00:00Z"));
        String account = api.newPayingAccount("Studio", "usd", "America/New_York");
        String yearly = id(api.post("/v1/plans", "{\"name\":\"Studio yearly\",\"type\":\"seats\",\"currency\":\"usd\",\"amount\":49000,"
                + "\"interval\":\"year\",\"included_seats\":5,\"seat_amount\":800}"));
        // 1,000 units a month are included, each one beyond costs 4.
        String overage = id(api.post("/v1/plans", "{\"name\":\"Bandwidth overage\",\"type\":\"usage\",\"currency\":\"usd\","
                + "\"tiers\":[{\"up_to\":1000,\"unit_amount\":0},{\"up_to\":null,\"unit_amount\":4}]}"));
        String studio = id(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + yearly + "\",\"seats\":6}"));
        String bandwidth = id(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + overage + "\"}"));

        // First monthly cycle, Jan 15 → Feb 15: 700 + 600 = 1300 units.
        advance("2030-01-20T12:00:00Z");
        use(bandwidth, "jan-20", 700);
        advance("2030-02-10T12:00:00Z");
        use(bandwidth, "feb-10", 600);

        // Mar 1, 12:00 in New York: 6 → 8 seats, so 1 → 3 billable (5 included): 2 extra seats for the rest of the year.
        advance("2030-03-01T17:00:00Z");
        assertThat(seats(studio, 8).json().get("seats").asInt()).isEqualTo(8);
        advance("2030-03-05T12:00:00Z");
        use(bandwidth, "mar-5", 900); // within the 1,000 included

        // Jun 1: down to 7 seats. A yearly plan's decrease waits for its renewal, not for the next monthly date.
        advance("2030-06-01T12:00:00Z");
        Res fewer = seats(studio, 7);
        assertThat(fewer.json().get("seats").asInt()).isEqualTo(8);
        assertThat(fewer.json().get("pending_seats").asInt()).isEqualTo(7);

        advance("2031-01-02T12:00:00Z");
        use(bandwidth, "jan-2", 2000);
        advance("2031-01-16T00:00:00Z");

        List<JsonNode> all = IssuedInvoices.oldestFirst(api, account);
        assertThat(all).hasSize(13);

        // Jan 15 2030, signup: the year in advance. 49000 + (6 − 5) × 800 = 49800. The usage cycle has only begun.
        assertThat(IssuedInvoices.head(all.get(0))).isEqualTo(
                new Head("INV-000001", "2030-01-15T15:00:00Z", "2030-01-15T15:00:00Z", "2031-01-15T15:00:00Z", 49800, 0, 49800));
        assertThat(IssuedInvoices.lines(all.get(0))).containsExactly(
                new Line("subscription", "Studio yearly, yearly", 1, null, 49000, "2030-01-15T15:00:00Z", "2031-01-15T15:00:00Z"),
                new Line("seats", "Studio yearly: 6 seats, 5 included, 1 extra", 1, null, 800, "2030-01-15T15:00:00Z", "2031-01-15T15:00:00Z"));

        // Feb 15: the first cycle in arrears. 1300 units: 1000 × 0 + 300 × 4 = 1200.
        assertThat(IssuedInvoices.head(all.get(1))).isEqualTo(
                new Head("INV-000002", "2030-02-15T15:00:00Z", "2030-01-15T15:00:00Z", "2030-02-15T15:00:00Z", 1200, 0, 1200));
        assertThat(IssuedInvoices.lines(all.get(1))).containsExactly(
                new Line("usage", "Bandwidth overage: 1,300 units (1,000 × 0.00 + 300 × 0.04)", 1300, null, 1200, "2030-01-15T15:00:00Z", "2030-02-15T15:00:00Z"));

        // Mar 15 (14:00 UTC, summer time): the seat increase on the next monthly date. The year Jan 15 2030 → Jan 15
        // 2031 has 365 days; Mar 1 → Jan 15 leaves 306 (Mar–Dec) + 14 = 320. 2 × 800 × 320 / 365 = 1402.74 → 1403.
        // The 900 units of Feb 15 → Mar 15 are all included: 0. The invoice spans its lines: Feb 15 → the year's end.
        assertThat(IssuedInvoices.head(all.get(2))).isEqualTo(
                new Head("INV-000003", "2030-03-15T14:00:00Z", "2030-02-15T15:00:00Z", "2031-01-15T15:00:00Z", 1403, 0, 1403));
        assertThat(IssuedInvoices.lines(all.get(2))).containsExactly(
                new Line("proration", "Studio yearly: 2 extra seats from 2030-03-01, 320 of 365 days", 2, 320, 1403,
                        "2030-03-01T17:00:00Z", "2031-01-15T15:00:00Z"),
                new Line("usage", "Bandwidth overage: 900 units (900 × 0.00)", 900, null, 0, "2030-02-15T15:00:00Z", "2030-03-15T14:00:00Z"));

        // Apr 15 → Dec 15: a monthly invoice each for a cycle without usage, 0; the Jun 1 decrease bills nothing.
        String[] monthly = {"2030-03-15T14:00:00Z", "2030-04-15T14:00:00Z", "2030-05-15T14:00:00Z", "2030-06-15T14:00:00Z",
                "2030-07-15T14:00:00Z", "2030-08-15T14:00:00Z", "2030-09-15T14:00:00Z", "2030-10-15T14:00:00Z",
                "2030-11-15T15:00:00Z", "2030-12-15T15:00:00Z"};
        for (int i = 1; i < monthly.length; i++) {
            JsonNode invoice = all.get(i + 2);
            assertThat(IssuedInvoices.head(invoice)).isEqualTo(
                    new Head("INV-%06d".formatted(i + 3), monthly[i], monthly[i - 1], monthly[i], 0, 0, 0));
            assertThat(IssuedInvoices.lines(invoice)).containsExactly(
                    new Line("usage", "Bandwidth overage: 0 units", 0, null, 0, monthly[i - 1], monthly[i]));
        }

        // Jan 15 2031: the renewal with the 7 seats asked for in June, 49000 + (7 − 5) × 800 = 50600, and the last
        // cycle's 2000 units, 1000 × 0 + 1000 × 4 = 4000: 54600.
        assertThat(IssuedInvoices.head(all.get(12))).isEqualTo(
                new Head("INV-000013", "2031-01-15T15:00:00Z", "2030-12-15T15:00:00Z", "2032-01-15T15:00:00Z", 54600, 0, 54600));
        assertThat(IssuedInvoices.lines(all.get(12))).containsExactly(
                new Line("subscription", "Studio yearly, yearly", 1, null, 49000, "2031-01-15T15:00:00Z", "2032-01-15T15:00:00Z"),
                new Line("seats", "Studio yearly: 7 seats, 5 included, 2 extra", 2, null, 1600, "2031-01-15T15:00:00Z", "2032-01-15T15:00:00Z"),
                new Line("usage", "Bandwidth overage: 2,000 units (1,000 × 0.00 + 1,000 × 0.04)", 2000, null, 4000, "2030-12-15T15:00:00Z", "2031-01-15T15:00:00Z"));

        Res after = api.get("/v1/subscriptions/" + studio);
        assertThat(after.json().get("seats").asInt()).isEqualTo(7);
        assertThat(after.json().get("pending_seats").isNull()).isTrue();
        assertThat(after.str("current_period_end")).isEqualTo("2032-01-15T15:00:00Z");
        assertThat(api.get("/v1/subscriptions/" + bandwidth).str("current_period_end")).isEqualTo("2031-02-15T15:00:00Z");
    }
}
