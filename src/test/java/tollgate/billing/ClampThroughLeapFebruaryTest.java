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
 * End to end through issued invoices: SPEC §2's anniversary clamp (signup Jan 31 → Feb 28/29 → Mar 31 → Apr 30 …)
 * through a leap February, for a monthly plan, a repeating coupon counted in those clamped months, and a yearly plan
 * signed up on Feb 29.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class ClampThroughLeapFebruaryTest {
    @Parameter
    TestDatabase database;

    private static String id(Res r) {
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.str("id");
    }

    private static void advance(ApiClient api, String to) {
        Res r = api.post("/v1/test_clock/advance", "{\"to\":\"" + to + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }

    private static String number(int n) {
        return "INV-%06d".formatted(n);
    }

    @Test
    void aMonthlyPlanSignedUpJan31OfALeapYearIsInvoicedFeb29Mar31Apr30AndFeb28TheYearAfter() {
        // 10:00 in Berlin: 09:00 UTC in winter (CET), 08:00 UTC in summer (CEST, 2028-03-26 to 10-29, 2029-03-25 on).
        ApiClient api = Scenario.tenantAt(TestServer.on(database), Instant.parse("2028-01-31T09:00:00Z"));
        String account = api.newPayingAccount("Leap shop", "eur", "Europe/Berlin");
        String plan = id(api.post("/v1/plans", "{\"name\":\"Hosting M\",\"type\":\"flat\",\"currency\":\"eur\",\"amount\":2500}"));
        id(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\"}"));
        advance(api, "2029-04-01T00:00:00Z");

        // Every date is the anchor plus n months, clamped: never the 29th of a month after February.
        String[] dates = {
                "2028-01-31T09:00:00Z", // signup, in advance
                "2028-02-29T09:00:00Z", // leap February: the 31st clamped to the 29th
                "2028-03-31T08:00:00Z", // back to the 31st (not Mar 29), now summer time
                "2028-04-30T08:00:00Z",
                "2028-05-31T08:00:00Z",
                "2028-06-30T08:00:00Z",
                "2028-07-31T08:00:00Z",
                "2028-08-31T08:00:00Z",
                "2028-09-30T08:00:00Z",
                "2028-10-31T09:00:00Z", // winter time again since Oct 29
                "2028-11-30T09:00:00Z",
                "2028-12-31T09:00:00Z",
                "2029-01-31T09:00:00Z",
                "2029-02-28T09:00:00Z", // a common February: the 28th
                "2029-03-31T08:00:00Z", // summer time since Mar 25
                "2029-04-30T08:00:00Z", // the end of the last period billed
        };
        List<JsonNode> all = IssuedInvoices.oldestFirst(api, account);
        assertThat(all).hasSize(15);
        for (int i = 0; i < all.size(); i++) {
            JsonNode invoice = all.get(i);
            // Each invoice bills the period from its date to the next one: one line of 2500, nothing off.
            assertThat(IssuedInvoices.head(invoice)).isEqualTo(new Head(number(i + 1), dates[i], dates[i], dates[i + 1], 2500, 0, 2500));
            assertThat(IssuedInvoices.lines(invoice)).containsExactly(
                    new Line("subscription", "Hosting M, monthly", 1, null, 2500, dates[i], dates[i + 1]));
            assertThat(invoice.get("currency").asText()).isEqualTo("eur");
        }
    }

    @Test
    void aThreeMonthCouponFromJan31DiscountsJan31Feb29AndMar31ButNotApr30() {
        ApiClient api = Scenario.tenantAt(TestServer.on(database), Instant.parse("2028-01-31T12:00:00Z"));
        String account = api.newPayingAccount("Launch shop", "usd", "UTC");
        String plan = id(api.post("/v1/plans", "{\"name\":\"Hosting M\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":2500}"));
        String coupon = id(api.post("/v1/coupons", "{\"name\":\"Launch\",\"percent_off\":25,\"duration\":\"repeating\",\"duration_in_months\":3}"));
        id(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\",\"coupon\":\"" + coupon + "\"}"));
        advance(api, "2028-05-31T00:00:00Z");

        // The coupon ends three months after the signup by the same clamped rule: Jan 31 + 3 months = Apr 30, so the
        // Apr 30 invoice is the first without it. 25% of 2500 = 625; 2500 − 625 = 1875.
        List<JsonNode> all = IssuedInvoices.oldestFirst(api, account);
        assertThat(all).extracting(IssuedInvoices::head).containsExactly(
                new Head("INV-000001", "2028-01-31T12:00:00Z", "2028-01-31T12:00:00Z", "2028-02-29T12:00:00Z", 2500, 625, 1875),
                new Head("INV-000002", "2028-02-29T12:00:00Z", "2028-02-29T12:00:00Z", "2028-03-31T12:00:00Z", 2500, 625, 1875),
                new Head("INV-000003", "2028-03-31T12:00:00Z", "2028-03-31T12:00:00Z", "2028-04-30T12:00:00Z", 2500, 625, 1875),
                new Head("INV-000004", "2028-04-30T12:00:00Z", "2028-04-30T12:00:00Z", "2028-05-31T12:00:00Z", 2500, 0, 2500));
        for (int i = 0; i < 3; i++)
            assertThat(IssuedInvoices.discounts(all.get(i))).containsExactly(new Off("Launch: 25% off", 625));
        assertThat(IssuedInvoices.discounts(all.get(3))).isEmpty();
        assertThat(IssuedInvoices.lines(all.get(1))).containsExactly(
                new Line("subscription", "Hosting M, monthly", 1, null, 2500, "2028-02-29T12:00:00Z", "2028-03-31T12:00:00Z"));
    }

    @Test
    void aYearlyPlanSignedUpFeb29IsInvoicedFeb28InCommonYearsAndFeb29AgainFourYearsOn() {
        ApiClient api = Scenario.tenantAt(TestServer.on(database), Instant.parse("2028-02-29T12:00:00Z"));
        String account = api.newPayingAccount("Yearly host", "usd", "UTC");
        String plan = id(api.post("/v1/plans", "{\"name\":\"Hosting L\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":120000,\"interval\":\"year\"}"));
        id(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\"}"));
        // A year at a time: one advance moves the clock at most two years.
        for (String to : new String[] {"2029-03-01T00:00:00Z", "2030-03-01T00:00:00Z", "2031-03-01T00:00:00Z", "2032-03-01T00:00:00Z"})
            advance(api, to);

        // Twelve months at a time from the anchor: Feb 29 + 12 = Feb 28 2029, + 24 = Feb 28 2030, + 36 = Feb 28 2031,
        // + 48 = Feb 29 2032; nothing in the months between.
        String[] dates = {"2028-02-29T12:00:00Z", "2029-02-28T12:00:00Z", "2030-02-28T12:00:00Z", "2031-02-28T12:00:00Z",
                "2032-02-29T12:00:00Z", "2033-02-28T12:00:00Z"};
        List<JsonNode> all = IssuedInvoices.oldestFirst(api, account);
        assertThat(all).hasSize(5);
        for (int i = 0; i < all.size(); i++) {
            assertThat(IssuedInvoices.head(all.get(i))).isEqualTo(new Head(number(i + 1), dates[i], dates[i], dates[i + 1], 120000, 0, 120000));
            assertThat(IssuedInvoices.lines(all.get(i))).containsExactly(
                    new Line("subscription", "Hosting L, yearly", 1, null, 120000, dates[i], dates[i + 1]));
        }
    }
}
