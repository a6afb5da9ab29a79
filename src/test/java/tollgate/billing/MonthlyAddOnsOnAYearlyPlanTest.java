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
 * SPEC §2 (issue 10, 1.3): a monthly subscription on an account with a live yearly plan takes that plan's anchor, its
 * first period running to the next anchor, a flat amount prorated by days; {@code billing_cycle_anchor} chooses any
 * anchor, never one in the past.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class MonthlyAddOnsOnAYearlyPlanTest {
    @Parameter
    TestDatabase database;
    ApiClient api;

    @Test
    void addOnsStartedOnFeb5ToAYearlyPlanRenewingOnThe18thBillOnThe18th() {
        api = Scenario.tenantAt(TestServer.on(database), Instant.parse("2030-01-18T10:00:00Z"));
        String account = api.newPayingAccount("Agency", "usd", "UTC");
        String yearly = api.idOf(api.post("/v1/plans", "{\"name\":\"Agency yearly\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":120000,\"interval\":\"year\"}"));
        String backups = api.idOf(api.post("/v1/plans", "{\"name\":\"Backups\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":2000}"));
        String bandwidth = api.idOf(api.post("/v1/plans", "{\"name\":\"Bandwidth\",\"type\":\"usage\",\"currency\":\"usd\",\"unit_amount\":3}"));
        api.idOf(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + yearly + "\"}"));

        api.advanceTo("2030-02-05T09:30:00Z");
        Res usage = api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + bandwidth + "\"}");
        assertThat(usage.status()).as(usage.text()).isEqualTo(200);
        // Its first cycle ends on the yearly plan's monthly date, the 18th at 10:00, not on Mar 5.
        assertThat(usage.str("current_period_start")).isEqualTo("2030-02-05T09:30:00Z");
        assertThat(usage.str("current_period_end")).isEqualTo("2030-02-18T10:00:00Z");
        Res flat = api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + backups + "\"}");
        assertThat(flat.str("current_period_end")).isEqualTo("2030-02-18T10:00:00Z");
        assertThat(api.post("/v1/usage_events", "{\"id\":\"e1\",\"subscription\":\"" + usage.str("id") + "\",\"quantity\":50}").status())
                .isEqualTo(200);

        api.advanceTo("2030-03-18T10:00:00Z");
        List<JsonNode> all = IssuedInvoices.oldestFirst(api, account);
        assertThat(all).hasSize(4);
        assertThat(IssuedInvoices.head(all.get(0))).isEqualTo(
                new Head("INV-000001", "2030-01-18T10:00:00Z", "2030-01-18T10:00:00Z", "2031-01-18T10:00:00Z", 120000, 0, 120000));
        // Feb 5 → Feb 18 is 13 of the 31 days Jan 18 → Feb 18: 2000 × 13 / 31 = 838.71 → 839, billed at signup.
        assertThat(IssuedInvoices.head(all.get(1))).isEqualTo(
                new Head("INV-000002", "2030-02-05T09:30:00Z", "2030-02-05T09:30:00Z", "2030-02-18T10:00:00Z", 839, 0, 839));
        assertThat(IssuedInvoices.lines(all.get(1))).containsExactly(
                new Line("proration", "Backups, first period from 2030-02-05, 13 of 31 days to 2030-02-18", 1, 13, 839,
                        "2030-02-05T09:30:00Z", "2030-02-18T10:00:00Z"));
        // Feb 18, 10:00: one invoice for both add-ons, the usage in arrears (50 × 3) and Backups' month in advance.
        assertThat(IssuedInvoices.head(all.get(2))).isEqualTo(
                new Head("INV-000003", "2030-02-18T10:00:00Z", "2030-02-05T09:30:00Z", "2030-03-18T10:00:00Z", 2150, 0, 2150));
        assertThat(IssuedInvoices.lines(all.get(2))).containsExactlyInAnyOrder(
                new Line("usage", "Bandwidth: 50 units", 50, null, 150, "2030-02-05T09:30:00Z", "2030-02-18T10:00:00Z"),
                new Line("subscription", "Backups, monthly", 1, null, 2000, "2030-02-18T10:00:00Z", "2030-03-18T10:00:00Z"));
        assertThat(IssuedInvoices.head(all.get(3)).billingDate()).isEqualTo("2030-03-18T10:00:00Z");
    }

    @Test
    void anAddOnToAYearlyPlanAnchoredOnJan31KeepsThe31stThroughTheClampFeb29Mar31Apr30() {
        api = Scenario.tenantAt(TestServer.on(database), Instant.parse("2028-01-31T10:00:00Z"));
        String account = api.newPayingAccount("Leap", "usd", "UTC");
        String yearly = api.idOf(api.post("/v1/plans", "{\"name\":\"Yearly\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":50000,\"interval\":\"year\"}"));
        String metered = api.idOf(api.post("/v1/plans", "{\"name\":\"Metered\",\"type\":\"usage\",\"currency\":\"usd\",\"unit_amount\":1}"));
        api.idOf(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + yearly + "\"}"));
        api.advanceTo("2028-02-10T10:00:00Z");
        Res usage = api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + metered + "\"}");
        assertThat(usage.str("current_period_end")).isEqualTo("2028-02-29T10:00:00Z");
        assertThat(usage.str("billing_cycle_anchor")).isEqualTo("2028-01-31T10:00:00Z");
        // After the clamped Feb 29 the 31st again, not the 29th: the dates come from the yearly anchor itself.
        api.advanceTo("2028-03-31T10:00:00Z");
        Res after = api.get("/v1/subscriptions/" + usage.str("id"));
        assertThat(after.str("current_period_start")).isEqualTo("2028-03-31T10:00:00Z");
        assertThat(after.str("current_period_end")).isEqualTo("2028-04-30T10:00:00Z");
    }

    @Test
    void aBillingCycleAnchorOnApr1ProratesMar10ToApr1AndThenBillsOnThe1st() {
        api = Scenario.tenantAt(TestServer.on(database), Instant.parse("2030-03-10T12:00:00Z"));
        String account = api.newPayingAccount("Shop", "usd", "UTC");
        String plan = api.idOf(api.post("/v1/plans", "{\"name\":\"Hosting\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":3000}"));
        Res s = api.post("/v1/accounts/" + account + "/subscriptions",
                "{\"plan\":\"" + plan + "\",\"billing_cycle_anchor\":\"2030-04-01T00:00:00Z\"}");
        assertThat(s.status()).as(s.text()).isEqualTo(200);
        assertThat(s.str("billing_cycle_anchor")).isEqualTo("2030-04-01T00:00:00Z");
        assertThat(s.str("current_period_end")).isEqualTo("2030-04-01T00:00:00Z");

        api.advanceTo("2030-04-01T00:00:00Z");
        List<JsonNode> all = IssuedInvoices.oldestFirst(api, account);
        // Mar 10 → Apr 1 is 22 of the 31 days Mar 1 → Apr 1: 3000 × 22 / 31 = 2129.03 → 2129.
        assertThat(IssuedInvoices.lines(all.get(0))).containsExactly(
                new Line("proration", "Hosting, first period from 2030-03-10, 22 of 31 days to 2030-04-01", 1, 22, 2129,
                        "2030-03-10T12:00:00Z", "2030-04-01T00:00:00Z"));
        assertThat(IssuedInvoices.head(all.get(1))).isEqualTo(
                new Head("INV-000002", "2030-04-01T00:00:00Z", "2030-04-01T00:00:00Z", "2030-05-01T00:00:00Z", 3000, 0, 3000));
    }

    @Test
    void anAnchorInThePastOrBeyondOnePeriodIsRefusedNamingTheFieldAndNothingIsWritten() {
        api = Scenario.tenantAt(TestServer.on(database), Instant.parse("2030-03-10T12:00:00Z"));
        String account = api.newPayingAccount("Shop", "usd", "UTC");
        String plan = api.idOf(api.post("/v1/plans", "{\"name\":\"Hosting\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":3000}"));
        for (String[] wrong : new String[][] {
                {"\"2030-03-10T11:59:59Z\"", "parameter_invalid"},
                {"\"2030-04-10T12:00:01Z\"", "parameter_invalid"},
                {"\"next tuesday\"", "timestamp_invalid"},
                {"17", "invalid_type"}}) {
            Res r = api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\",\"billing_cycle_anchor\":" + wrong[0] + "}");
            assertThat(r.status()).as(r.text()).isEqualTo(422);
            assertThat(r.code()).as(r.text()).isEqualTo(wrong[1]);
            assertThat(r.str("field")).isEqualTo("billing_cycle_anchor");
        }
        assertThat(api.get("/v1/accounts/" + account + "/subscriptions").json().get("data")).isEmpty();
        assertThat(api.get("/v1/accounts/" + account + "/invoices").json().get("data")).isEmpty();
        // One period ahead exactly is the furthest anchor: Apr 10 12:00.
        assertThat(api.post("/v1/accounts/" + account + "/subscriptions",
                "{\"plan\":\"" + plan + "\",\"billing_cycle_anchor\":\"2030-04-10T12:00:00Z\"}").status()).isEqualTo(200);
    }
}
