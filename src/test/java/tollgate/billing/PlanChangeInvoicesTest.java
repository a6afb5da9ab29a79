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
 * End to end through issued invoices: decision 052 plan changes. An upgrade in the same interval takes effect at
 * once and its difference per period is charged for the period's remaining calendar days on the next invoice (the
 * seat increase's proration); a downgrade or another interval waits for the next period (pending_plan); refusals
 * change nothing.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class PlanChangeInvoicesTest {
    @Parameter
    TestDatabase database;
    TestServer server;
    ApiClient api;
    String account;

    private static String id(Res r) {
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.str("id");
    }

    private void advance(String to) {
        Res r = api.post("/v1/test_clock/advance", "{\"to\":\"" + to + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }

    private String plan(String json) {
        return id(api.post("/v1/plans", json));
    }

    private String subscribed(String plan, String extra) {
        return id(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\"" + extra + "}"));
    }

    private Res change(String sub, String body) {
        return api.post("/v1/subscriptions/" + sub, body);
    }

    private int updatedEvents() {
        return api.get("/v1/events?limit=100&type=subscription.updated&account=" + account).json().get("data").size();
    }

    private void start() {
        server = TestServer.on(database);
        api = Scenario.tenantAt(server, Instant.parse("2030-01-04T09:00:00Z"));
        account = api.newPayingAccount("Agency", "usd", "UTC");
    }

    @Test
    void anUpgradeOnJan20Bills2400x15Over31Is1161OnTheFeb4InvoiceAndADowngradeWaitsForMar4() {
        start();
        String basic = plan("{\"name\":\"Basic\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":2500}");
        String pro = plan("{\"name\":\"Pro\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":4900}");
        String sub = subscribed(basic, "");

        // Jan 20: Basic (2500) → Pro (4900) at once; nothing is invoiced now.
        advance("2030-01-20T15:00:00Z");
        Res up = change(sub, "{\"plan\":\"" + pro + "\"}");
        assertThat(up.status()).as(up.text()).isEqualTo(200);
        assertThat(up.str("plan")).isEqualTo(pro);
        assertThat(up.json().get("pending_plan").isNull()).isTrue();
        assertThat(IssuedInvoices.oldestFirst(api, account)).hasSize(1);
        assertThat(updatedEvents()).isEqualTo(1);

        // Feb 10: Pro → Basic waits for Mar 4; nothing is credited.
        advance("2030-02-10T00:00:00Z");
        Res down = change(sub, "{\"plan\":\"" + basic + "\"}");
        assertThat(down.status()).as(down.text()).isEqualTo(200);
        assertThat(down.str("plan")).isEqualTo(pro);
        assertThat(down.str("pending_plan")).isEqualTo(basic);
        assertThat(api.get("/v1/subscriptions/" + sub).str("pending_plan")).isEqualTo(basic);
        assertThat(updatedEvents()).isEqualTo(2);

        advance("2030-03-05T00:00:00Z");
        List<JsonNode> all = IssuedInvoices.oldestFirst(api, account);
        assertThat(all).hasSize(3);
        assertThat(IssuedInvoices.head(all.get(0))).isEqualTo(
                new Head("INV-000001", "2030-01-04T09:00:00Z", "2030-01-04T09:00:00Z", "2030-02-04T09:00:00Z", 2500, 0, 2500));
        // Feb 4: Pro's period, 4900, and the difference for the rest of January's: Jan 4 → Feb 4 is 31 days,
        // Jan 20 → Feb 4 leaves 15; (4900 − 2500) × 15 / 31 = 1161.29 → 1161. 4900 + 1161 = 6061.
        assertThat(IssuedInvoices.head(all.get(1))).isEqualTo(
                new Head("INV-000002", "2030-02-04T09:00:00Z", "2030-01-20T15:00:00Z", "2030-03-04T09:00:00Z", 6061, 0, 6061));
        assertThat(IssuedInvoices.lines(all.get(1))).containsExactly(
                new Line("subscription", "Pro, monthly", 1, null, 4900, "2030-02-04T09:00:00Z", "2030-03-04T09:00:00Z"),
                new Line("proration", "Pro: upgrade from Basic from 2030-01-20, 15 of 31 days", 1, 15, 1161,
                        "2030-01-20T15:00:00Z", "2030-02-04T09:00:00Z"));
        // Mar 4: the downgrade takes effect; Basic's 2500, no credit line.
        assertThat(IssuedInvoices.head(all.get(2))).isEqualTo(
                new Head("INV-000003", "2030-03-04T09:00:00Z", "2030-03-04T09:00:00Z", "2030-04-04T09:00:00Z", 2500, 0, 2500));
        assertThat(IssuedInvoices.lines(all.get(2))).containsExactly(
                new Line("subscription", "Basic, monthly", 1, null, 2500, "2030-03-04T09:00:00Z", "2030-04-04T09:00:00Z"));
        Res after = api.get("/v1/subscriptions/" + sub);
        assertThat(after.str("plan")).isEqualTo(basic);
        assertThat(after.json().get("pending_plan").isNull()).isTrue();
        assertThat(updatedEvents()).isEqualTo(3);
        JsonNode last = api.get("/v1/events?limit=1&type=subscription.updated&account=" + account).json().get("data").get(0);
        assertThat(last.toString()).contains("\"plan\":\"" + basic + "\"");
    }

    @Test
    void aSeatsUpgradeWith12SeatsBills4600x15Over31Is2226() {
        start();
        String agency = plan("{\"name\":\"Agency\",\"type\":\"seats\",\"currency\":\"usd\",\"amount\":4900,"
                + "\"included_seats\":5,\"seat_amount\":800}");
        String plus = plan("{\"name\":\"Agency Plus\",\"type\":\"seats\",\"currency\":\"usd\",\"amount\":9900,"
                + "\"included_seats\":10,\"seat_amount\":600}");
        String sub = subscribed(agency, ",\"seats\":7");

        // 4900 + 2 × 800 = 6500 a period → 9900 + 2 × 600 = 11100: 4600 more, × 15 / 31 = 2225.81 → 2226.
        advance("2030-01-20T15:00:00Z");
        Res up = change(sub, "{\"plan\":\"" + plus + "\",\"seats\":12}");
        assertThat(up.status()).as(up.text()).isEqualTo(200);
        assertThat(up.str("plan")).isEqualTo(plus);
        assertThat(up.json().get("seats").asInt()).isEqualTo(12);

        advance("2030-02-04T10:00:00Z");
        List<JsonNode> all = IssuedInvoices.oldestFirst(api, account);
        assertThat(all).hasSize(2);
        assertThat(IssuedInvoices.lines(all.get(1))).containsExactly(
                new Line("subscription", "Agency Plus, monthly", 1, null, 9900, "2030-02-04T09:00:00Z", "2030-03-04T09:00:00Z"),
                new Line("seats", "Agency Plus: 12 seats, 10 included, 2 extra", 2, null, 1200, "2030-02-04T09:00:00Z", "2030-03-04T09:00:00Z"),
                new Line("proration", "Agency Plus: upgrade from Agency from 2030-01-20, 15 of 31 days", 1, 15, 2226,
                        "2030-01-20T15:00:00Z", "2030-02-04T09:00:00Z"));
        assertThat(IssuedInvoices.head(all.get(1)).total()).isEqualTo(13326);
    }

    @Test
    void aYearlyPlanOfTheSameTypeWaitsForTheNextPeriodEvenWhenDearer() {
        start();
        String basic = plan("{\"name\":\"Basic\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":2500}");
        String yearly = plan("{\"name\":\"Basic yearly\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":25000,\"interval\":\"year\"}");
        String sub = subscribed(basic, "");
        advance("2030-01-20T15:00:00Z");
        Res r = change(sub, "{\"plan\":\"" + yearly + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.str("plan")).isEqualTo(basic);
        assertThat(r.str("pending_plan")).isEqualTo(yearly);

        advance("2030-02-05T00:00:00Z");
        Res after = api.get("/v1/subscriptions/" + sub);
        assertThat(after.str("plan")).isEqualTo(yearly);
        assertThat(after.str("current_period_start")).isEqualTo("2030-02-04T09:00:00Z");
        assertThat(after.str("current_period_end")).isEqualTo("2031-02-04T09:00:00Z");
        List<JsonNode> all = IssuedInvoices.oldestFirst(api, account);
        assertThat(all).hasSize(2);
        assertThat(IssuedInvoices.lines(all.get(1))).containsExactly(
                new Line("subscription", "Basic yearly, yearly", 1, null, 25000, "2030-02-04T09:00:00Z", "2031-02-04T09:00:00Z"));
    }

    @Test
    void refusalsNameTheirCodeAndChangeNothing() {
        start();
        String basic = plan("{\"name\":\"Basic\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":2500}");
        String seats = plan("{\"name\":\"Agency\",\"type\":\"seats\",\"currency\":\"usd\",\"amount\":4900,\"included_seats\":5,\"seat_amount\":800}");
        String euro = plan("{\"name\":\"Basic EU\",\"type\":\"flat\",\"currency\":\"eur\",\"amount\":2500}");
        String pro = plan("{\"name\":\"Pro\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":4900}");
        String metered = plan("{\"name\":\"Requests\",\"type\":\"usage\",\"currency\":\"usd\",\"unit_amount\":1}");
        String metered2 = plan("{\"name\":\"Requests+\",\"type\":\"usage\",\"currency\":\"usd\",\"unit_amount\":2}");
        String theirs = Scenario.tenantAt(server, Instant.parse("2030-01-04T09:00:00Z")).post("/v1/plans",
                "{\"name\":\"Theirs\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":9900}").str("id");
        String sub = subscribed(basic, "");
        String usage = subscribed(metered, "");
        String before = api.get("/v1/subscriptions/" + sub).text();
        int events = updatedEvents();

        assertRefused(change(sub, "{\"plan\":\"" + seats + "\"}"), 422, "plan_type_mismatch");
        assertRefused(change(sub, "{\"plan\":\"" + euro + "\"}"), 422, "currency_mismatch");
        assertRefused(change(sub, "{\"plan\":\"" + pro + "\",\"seats\":3}"), 422, "parameter_not_applicable");
        assertRefused(change(sub, "{\"plan\":\"plan_missing\"}"), 404, "resource_missing");
        assertRefused(change(sub, "{\"plan\":\"" + theirs + "\"}"), 404, "resource_missing");
        assertRefused(change(sub, "{\"plan\":5}"), 422, "invalid_type");
        assertRefused(change(usage, "{\"plan\":\"" + metered2 + "\"}"), 422, "plan_change_not_supported");
        assertThat(api.get("/v1/subscriptions/" + sub).text()).isEqualTo(before);
        assertThat(updatedEvents()).isEqualTo(events);

        Res canceled = api.post("/v1/subscriptions/" + sub + "/cancel", "{}");
        assertThat(canceled.status()).as(canceled.text()).isEqualTo(200);
        assertRefused(change(sub, "{\"plan\":\"" + pro + "\"}"), 409, "subscription_canceled");
        assertThat(api.get("/v1/subscriptions/" + sub).str("plan")).isEqualTo(basic);
    }

    private static void assertRefused(Res r, int status, String code) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.code()).as(r.text()).isEqualTo(code);
    }
}
