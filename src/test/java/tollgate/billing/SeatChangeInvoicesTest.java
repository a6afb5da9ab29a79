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
import tollgate.testing.IssuedInvoices.Off;
import tollgate.testing.Scenario;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * End to end through issued invoices: SPEC §2 seat changes. An increase during a period is charged at once, prorated
 * by the period's remaining calendar days in the account's zone, on the next invoice; a decrease takes effect at the
 * next period, with no credit.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class SeatChangeInvoicesTest {
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

    private Res seats(String subscription, int seats) {
        Res r = api.post("/v1/subscriptions/" + subscription, "{\"seats\":" + seats + "}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r;
    }

    @Test
    void anIncreaseOnJan20Bills3x800x15Over31Is1161OnTheFeb4InvoiceAndADecreaseBills6SeatsFromMar4() {
        api = Scenario.tenantAt(TestServer.on(database), Instant.parse("2030-01-04T09:00:00Z"));
        String account = api.newPayingAccount("Agency", "usd", "UTC");
        String plan = id(api.post("/v1/plans", "{\"name\":\"Agency\",\"type\":\"seats\",\"currency\":\"usd\",\"amount\":4900,"
                + "\"included_seats\":5,\"seat_amount\":800}"));
        String sub = id(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\",\"seats\":7}"));

        // Jan 20: 7 → 10 seats, 2 → 5 billable. Nothing is invoiced now; the charge waits for the next invoice.
        advance("2030-01-20T15:00:00Z");
        Res more = seats(sub, 10);
        assertThat(more.json().get("seats").asInt()).isEqualTo(10);
        assertThat(more.json().get("pending_seats").isNull()).isTrue();
        assertThat(IssuedInvoices.oldestFirst(api, account)).hasSize(1);

        // Feb 10: 10 → 6 seats. The count stays 10 until Mar 4; nothing is credited or invoiced.
        advance("2030-02-10T00:00:00Z");
        Res fewer = seats(sub, 6);
        assertThat(fewer.json().get("seats").asInt()).isEqualTo(10);
        assertThat(fewer.json().get("pending_seats").asInt()).isEqualTo(6);
        assertThat(IssuedInvoices.oldestFirst(api, account)).hasSize(2);

        advance("2030-04-05T00:00:00Z");
        List<JsonNode> all = IssuedInvoices.oldestFirst(api, account);
        assertThat(all).hasSize(4);

        // Jan 4, signup: 4900 + (7 − 5) × 800 = 6500.
        assertThat(IssuedInvoices.head(all.get(0))).isEqualTo(
                new Head("INV-000001", "2030-01-04T09:00:00Z", "2030-01-04T09:00:00Z", "2030-02-04T09:00:00Z", 6500, 0, 6500));
        assertThat(IssuedInvoices.lines(all.get(0))).containsExactly(
                new Line("subscription", "Agency, monthly", 1, null, 4900, "2030-01-04T09:00:00Z", "2030-02-04T09:00:00Z"),
                new Line("seats", "Agency: 7 seats, 5 included, 2 extra", 2, null, 1600, "2030-01-04T09:00:00Z", "2030-02-04T09:00:00Z"));

        // Feb 4: the new period with 10 seats, 4900 + 5 × 800 = 8900, and the increase for the rest of January's
        // period: Jan 4 → Feb 4 is 31 days, Jan 20 → Feb 4 leaves 12 + 3 = 15; 3 × 800 × 15 / 31 = 1161.29 → 1161.
        // 8900 + 1161 = 10061. The invoice spans its lines: Jan 20 → Mar 4.
        assertThat(IssuedInvoices.head(all.get(1))).isEqualTo(
                new Head("INV-000002", "2030-02-04T09:00:00Z", "2030-01-20T15:00:00Z", "2030-03-04T09:00:00Z", 10061, 0, 10061));
        assertThat(IssuedInvoices.lines(all.get(1))).containsExactly(
                new Line("subscription", "Agency, monthly", 1, null, 4900, "2030-02-04T09:00:00Z", "2030-03-04T09:00:00Z"),
                new Line("seats", "Agency: 10 seats, 5 included, 5 extra", 5, null, 4000, "2030-02-04T09:00:00Z", "2030-03-04T09:00:00Z"),
                new Line("proration", "Agency: 3 extra seats from 2030-01-20, 15 of 31 days", 3, 15, 1161,
                        "2030-01-20T15:00:00Z", "2030-02-04T09:00:00Z"));

        // Mar 4: the renewal bills the 6 seats asked for on Feb 10, 4900 + 1 × 800 = 5700, with no credit line.
        assertThat(IssuedInvoices.head(all.get(2))).isEqualTo(
                new Head("INV-000003", "2030-03-04T09:00:00Z", "2030-03-04T09:00:00Z", "2030-04-04T09:00:00Z", 5700, 0, 5700));
        assertThat(IssuedInvoices.lines(all.get(2))).containsExactly(
                new Line("subscription", "Agency, monthly", 1, null, 4900, "2030-03-04T09:00:00Z", "2030-04-04T09:00:00Z"),
                new Line("seats", "Agency: 6 seats, 5 included, 1 extra", 1, null, 800, "2030-03-04T09:00:00Z", "2030-04-04T09:00:00Z"));

        // Apr 4: 6 seats again, the same 5700; the proration was billed once only.
        assertThat(IssuedInvoices.head(all.get(3))).isEqualTo(
                new Head("INV-000004", "2030-04-04T09:00:00Z", "2030-04-04T09:00:00Z", "2030-05-04T09:00:00Z", 5700, 0, 5700));
        assertThat(IssuedInvoices.lines(all.get(3))).extracting(Line::kind).containsExactly("subscription", "seats");

        Res after = api.get("/v1/subscriptions/" + sub);
        assertThat(after.json().get("seats").asInt()).isEqualTo(6);
        assertThat(after.json().get("pending_seats").isNull()).isTrue();
    }

    @Test
    void anIncreaseFrom3To8SeatsAfterMidnightInBerlinBills3ExtraSeatsFor9Of31DaysUnderTheCoupon() {
        // 10:30 in Berlin: Mar 4 is CET (09:30 UTC), Apr 4 is CEST (08:30 UTC).
        api = Scenario.tenantAt(TestServer.on(database), Instant.parse("2030-03-04T09:30:00Z"));
        String account = api.newPayingAccount("Berlin studio", "eur", "Europe/Berlin");
        String plan = id(api.post("/v1/plans", "{\"name\":\"Studio\",\"type\":\"seats\",\"currency\":\"eur\",\"amount\":4900,"
                + "\"included_seats\":5,\"seat_amount\":800}"));
        String coupon = id(api.post("/v1/coupons", "{\"name\":\"Partner\",\"percent_off\":20,\"duration\":\"forever\"}"));
        String sub = id(api.post("/v1/accounts/" + account + "/subscriptions",
                "{\"plan\":\"" + plan + "\",\"seats\":3,\"coupon\":\"" + coupon + "\"}"));

        // 23:30 UTC on Mar 25 is already 00:30 on Mar 26 in Berlin: the change's date there is the 26th.
        // 3 → 8 seats with 5 included: 0 → 3 billable.
        advance("2030-03-25T23:30:00Z");
        seats(sub, 8);
        advance("2030-04-05T00:00:00Z");

        List<JsonNode> all = IssuedInvoices.oldestFirst(api, account);
        assertThat(all).hasSize(2);

        // Mar 4: 4900 + 0 extra seats; 20% of 4900 = 980; 3920.
        assertThat(IssuedInvoices.head(all.get(0))).isEqualTo(
                new Head("INV-000001", "2030-03-04T09:30:00Z", "2030-03-04T09:30:00Z", "2030-04-04T08:30:00Z", 4900, 980, 3920));
        assertThat(IssuedInvoices.lines(all.get(0))).containsExactly(
                new Line("subscription", "Studio, monthly", 1, null, 4900, "2030-03-04T09:30:00Z", "2030-04-04T08:30:00Z"),
                new Line("seats", "Studio: 3 seats, 5 included, 0 extra", 0, null, 0, "2030-03-04T09:30:00Z", "2030-04-04T08:30:00Z"));

        // Apr 4: 4900 + 3 × 800 = 7300 for the new period, and the increase: Mar 4 → Apr 4 is 31 days, Mar 26 → Apr 4
        // leaves 6 + 3 = 9 (10 if counted in UTC); 3 × 800 × 9 / 31 = 696.77 → 697. 7300 + 697 = 7997; the coupon is on
        // all of the subscription's lines, the proration too: 20% of 7997 = 1599.4 → 1599; 7997 − 1599 = 6398.
        assertThat(IssuedInvoices.head(all.get(1))).isEqualTo(
                new Head("INV-000002", "2030-04-04T08:30:00Z", "2030-03-25T23:30:00Z", "2030-05-04T08:30:00Z", 7997, 1599, 6398));
        assertThat(IssuedInvoices.lines(all.get(1))).containsExactly(
                new Line("subscription", "Studio, monthly", 1, null, 4900, "2030-04-04T08:30:00Z", "2030-05-04T08:30:00Z"),
                new Line("seats", "Studio: 8 seats, 5 included, 3 extra", 3, null, 2400, "2030-04-04T08:30:00Z", "2030-05-04T08:30:00Z"),
                new Line("proration", "Studio: 3 extra seats from 2030-03-26, 9 of 31 days", 3, 9, 697,
                        "2030-03-25T23:30:00Z", "2030-04-04T08:30:00Z"));
        assertThat(IssuedInvoices.discounts(all.get(1))).containsExactly(new Off("Partner: 20% off", 1599));
    }
}
