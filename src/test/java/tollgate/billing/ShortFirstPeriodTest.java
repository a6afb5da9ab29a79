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
import tollgate.testing.IssuedInvoices.Line;
import tollgate.testing.Scenario;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * Decision 085: a short first period up to a later anchor ({@code billing_cycle_anchor}, or the anchor of a yearly plan
 * still in its trial) is a paid period, not a trial: its usage, seat increases and upgrades are billed, and they are
 * priced by the days of the full period it is cut from, as its first charge is. Every account is in UTC; the clock
 * starts on 2030-07-15 00:00.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class ShortFirstPeriodTest {
    @Parameter
    TestDatabase database;
    ApiClient api;

    private Res subscribe(String account, String plan, String more) {
        Res r = api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\"" + more + "}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r;
    }

    private void use(String subscription, String id, long quantity) {
        Res r = api.post("/v1/usage_events", "{\"id\":\"" + id + "\",\"subscription\":\"" + subscription + "\",\"quantity\":" + quantity + "}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }

    private void start() {
        api = Scenario.tenantAt(TestServer.on(database), Instant.parse("2030-07-15T00:00:00Z"));
    }

    @Test
    void usageBeforeALaterAnchorIsBilledAtTheAnchorAndWhenCanceledInIt() {
        start();
        String account = api.newPayingAccount("Metered", "usd", "UTC");
        String bandwidth = api.idOf(api.post("/v1/plans", "{\"name\":\"Bandwidth\",\"type\":\"usage\",\"currency\":\"usd\",\"unit_amount\":3}"));
        Res kept = subscribe(account, bandwidth, ",\"billing_cycle_anchor\":\"2030-08-01T00:00:00Z\"");
        assertThat(kept.str("status")).isEqualTo("active");
        assertThat(kept.str("current_period_end")).isEqualTo("2030-08-01T00:00:00Z");
        Res canceled = subscribe(account, bandwidth, ",\"billing_cycle_anchor\":\"2030-08-01T00:00:00Z\"");

        api.advanceTo("2030-07-20T00:00:00Z");
        use(kept.str("id"), "k1", 1500);
        use(canceled.str("id"), "c1", 100);
        Res cancel = api.post("/v1/subscriptions/" + canceled.str("id") + "/cancel", null);
        assertThat(cancel.status()).as(cancel.text()).isEqualTo(200);

        // The cancellation cuts its cycle short and bills it at once: 100 × 3.
        List<JsonNode> invoices = IssuedInvoices.oldestFirst(api, account);
        assertThat(invoices).hasSize(1);
        assertThat(IssuedInvoices.lines(invoices.get(0))).containsExactly(
                new Line("usage", "Bandwidth: 100 units", 100, null, 300, "2030-07-15T00:00:00Z", "2030-07-20T00:00:00Z"));

        // The other's cycle Jul 15 → Aug 1 is billed at its end, the anchor: 1500 × 3.
        api.advanceTo("2030-08-01T00:00:00Z");
        invoices = IssuedInvoices.oldestFirst(api, account);
        assertThat(invoices).hasSize(2);
        assertThat(invoices.get(1).get("billing_date").asText()).isEqualTo("2030-08-01T00:00:00Z");
        assertThat(IssuedInvoices.lines(invoices.get(1))).containsExactly(
                new Line("usage", "Bandwidth: 1,500 units", 1500, null, 4500, "2030-07-15T00:00:00Z", "2030-08-01T00:00:00Z"));
    }

    @Test
    void usageOfAnAddOnAlignedToAYearlyPlanInItsTrialIsBilledAtTheTrialsEnd() {
        start();
        String account = api.newPayingAccount("Trialist", "usd", "UTC");
        String yearly = api.idOf(api.post("/v1/plans", "{\"name\":\"Hosting L\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":120000,"
                + "\"interval\":\"year\",\"trial_days\":14}"));
        String bandwidth = api.idOf(api.post("/v1/plans", "{\"name\":\"Bandwidth\",\"type\":\"usage\",\"currency\":\"usd\",\"unit_amount\":3}"));
        assertThat(subscribe(account, yearly, "").str("status")).isEqualTo("trialing");

        api.advanceTo("2030-07-17T00:00:00Z");
        Res usage = subscribe(account, bandwidth, "");
        assertThat(usage.str("status")).isEqualTo("active");
        assertThat(usage.str("current_period_end")).isEqualTo("2030-07-29T00:00:00Z");
        use(usage.str("id"), "u1", 1500);

        // Jul 29, the yearly plan's first paid day: its year in advance and the add-on's usage Jul 17 → Jul 29, one invoice.
        api.advanceTo("2030-07-29T00:00:00Z");
        List<JsonNode> invoices = IssuedInvoices.oldestFirst(api, account);
        assertThat(invoices).hasSize(1);
        assertThat(IssuedInvoices.lines(invoices.get(0))).containsExactlyInAnyOrder(
                new Line("subscription", "Hosting L, yearly", 1, null, 120000, "2030-07-29T00:00:00Z", "2031-07-29T00:00:00Z"),
                new Line("usage", "Bandwidth: 1,500 units", 1500, null, 4500, "2030-07-17T00:00:00Z", "2030-07-29T00:00:00Z"));
        assertThat(invoices.get(0).get("total").asLong()).isEqualTo(124500);
    }

    @Test
    void aSeatIncreaseBeforeALaterAnchorIsChargedAtTheFullPeriodsDailyRate() {
        start();
        String account = api.newPayingAccount("Seated", "usd", "UTC");
        String agency = api.idOf(api.post("/v1/plans", "{\"name\":\"Agency\",\"type\":\"seats\",\"currency\":\"usd\",\"amount\":4900,"
                + "\"included_seats\":5,\"seat_amount\":800}"));
        Res s = subscribe(account, agency, ",\"seats\":7,\"billing_cycle_anchor\":\"2030-08-01T00:00:00Z\"");

        // At signup, Jul 15 → Aug 1 is 17 of the 31 days Jul 1 → Aug 1: 4900 × 17/31 = 2687.10 → 2687, 2 × 800 × 17/31 = 877.42 → 877.
        List<JsonNode> invoices = IssuedInvoices.oldestFirst(api, account);
        assertThat(invoices).hasSize(1);
        assertThat(IssuedInvoices.lines(invoices.get(0)).stream().map(Line::amount).toList()).containsExactlyInAnyOrder(2687L, 877L);

        // Jul 21: 9 seats. 2 more for 11 of the same 31 days: 2 × 800 × 11/31 = 567.74 → 568, on the anchor's invoice.
        api.advanceTo("2030-07-21T00:00:00Z");
        Res nine = api.post("/v1/subscriptions/" + s.str("id"), "{\"seats\":9}");
        assertThat(nine.status()).as(nine.text()).isEqualTo(200);
        assertThat(nine.str("seats")).isEqualTo("9");

        api.advanceTo("2030-08-01T00:00:00Z");
        invoices = IssuedInvoices.oldestFirst(api, account);
        assertThat(invoices).hasSize(2);
        assertThat(IssuedInvoices.lines(invoices.get(1))).containsExactlyInAnyOrder(
                new Line("proration", "Agency: 2 extra seats from 2030-07-21, 11 of 31 days", 2, 11, 568,
                        "2030-07-21T00:00:00Z", "2030-08-01T00:00:00Z"),
                new Line("subscription", "Agency, monthly", 1, null, 4900, "2030-08-01T00:00:00Z", "2030-09-01T00:00:00Z"),
                new Line("seats", "Agency: 9 seats, 5 included, 4 extra", 4, null, 3200, "2030-08-01T00:00:00Z", "2030-09-01T00:00:00Z"));
        assertThat(invoices.get(1).get("total").asLong()).isEqualTo(568 + 4900 + 3200);
    }

    @Test
    void anUpgradeBeforeALaterAnchorIsChargedAndTheSubscriptionStaysActiveWhenADeclineIsPaid() {
        start();
        String account = api.newAccount("Upgrader", "usd", "UTC");
        Res declining = api.post("/v1/accounts/" + account + "/payment_methods", "{\"token\":\"tok_chargeDeclined\"}");
        assertThat(declining.status()).as(declining.text()).isEqualTo(200);
        String small = api.idOf(api.post("/v1/plans", "{\"name\":\"Hosting S\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":2500}"));
        String large = api.idOf(api.post("/v1/plans", "{\"name\":\"Hosting M\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":5000}"));
        Res s = subscribe(account, small, ",\"billing_cycle_anchor\":\"2030-08-10T00:00:00Z\"");

        // Jul 15 → Aug 10 is 26 of the 31 days Jul 10 → Aug 10: 2500 × 26/31 = 2096.77 → 2097, declined.
        List<JsonNode> invoices = IssuedInvoices.oldestFirst(api, account);
        assertThat(invoices).hasSize(1);
        JsonNode first = invoices.get(0);
        assertThat(first.get("total").asLong()).isEqualTo(2097);
        assertThat(first.get("status").asText()).isEqualTo("open");

        // Paid on Jul 20 with a working card: the subscription is active, not "trialing".
        api.advanceTo("2030-07-20T00:00:00Z");
        String visa = api.idOf(api.post("/v1/accounts/" + account + "/payment_methods", "{\"token\":\"tok_visa\",\"primary\":true}"));
        Res paid = api.post("/v1/invoices/" + first.get("id").asText() + "/pay", "{\"payment_method\":\"" + visa + "\"}");
        assertThat(paid.status()).as(paid.text()).isEqualTo(200);
        assertThat(paid.str("status")).isEqualTo("paid");
        assertThat(api.get("/v1/subscriptions/" + s.str("id")).str("status")).isEqualTo("active");

        // The same day, an upgrade: (5000 − 2500) for 21 of the 31 days = 1693.55 → 1694, on the anchor's invoice.
        Res up = api.post("/v1/subscriptions/" + s.str("id"), "{\"plan\":\"" + large + "\"}");
        assertThat(up.status()).as(up.text()).isEqualTo(200);
        assertThat(up.str("plan")).isEqualTo(large);
        assertThat(up.str("status")).isEqualTo("active");

        api.advanceTo("2030-08-10T00:00:00Z");
        invoices = IssuedInvoices.oldestFirst(api, account);
        assertThat(invoices).hasSize(2);
        assertThat(IssuedInvoices.lines(invoices.get(1))).containsExactlyInAnyOrder(
                new Line("proration", "Hosting M: upgrade from Hosting S from 2030-07-20, 21 of 31 days", 1, 21, 1694,
                        "2030-07-20T00:00:00Z", "2030-08-10T00:00:00Z"),
                new Line("subscription", "Hosting M, monthly", 1, null, 5000, "2030-08-10T00:00:00Z", "2030-09-10T00:00:00Z"));
        assertThat(invoices.get(1).get("total").asLong()).isEqualTo(6694);
    }
}
