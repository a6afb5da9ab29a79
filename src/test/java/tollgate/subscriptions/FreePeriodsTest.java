package tollgate.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.core.Problem;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.IssuedInvoices;
import tollgate.testing.IssuedInvoices.Off;
import tollgate.testing.Scenario;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * A free period (decision 049): "two months free" is a 100 % discount on the subscription's next two renewals, each
 * invoice issued with its lines and a "Free period: reason" line taking it to zero; the third renewal is charged.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class FreePeriodsTest {
    @Parameter
    TestDatabase database;
    TestServer server;
    ApiClient api;

    private record Billed(long subtotal, long discount, long total, String status, List<Off> off) {}

    private List<Billed> billed(String account) {
        return IssuedInvoices.oldestFirst(api, account).stream().map(i -> new Billed(i.at("/subtotal").asLong(),
                i.at("/discount").asLong(), i.at("/total").asLong(), i.at("/status").asText(), IssuedInvoices.discounts(i))).toList();
    }

    @Test
    void twoFreeMonthsOnAFlatPlanBillTwoRenewalsAtZeroThenTheThirdInFull() {
        server = TestServer.on(database);
        api = Scenario.tenantAt(server, Instant.parse("2030-01-01T09:00:00Z"));
        String account = api.newPayingAccount("Shop", "usd", "UTC");
        String plan = api.idOf(api.post("/v1/plans", "{\"name\":\"Hosting M\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":2500}"));
        String sub = api.idOf(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\"}"));
        api.advanceTo("2030-01-10T12:00:00Z");
        Subscription given = server.app.subscriptions.giveFreePeriods(api.tenant, sub, 2, "Outage on January 9");
        assertThat(given.billing().freePeriods()).isEqualTo(2);
        api.advanceTo("2030-04-01T09:00:00Z");
        Off free = new Off("Free period: Outage on January 9", 2500);
        assertThat(billed(account)).containsExactly(
                new Billed(2500, 0, 2500, "paid", List.of()),
                new Billed(2500, 2500, 0, "paid", List.of(free)),
                new Billed(2500, 2500, 0, "paid", List.of(free)),
                new Billed(2500, 0, 2500, "paid", List.of()));
        assertThat(server.app.subscriptions.get(api.tenant, sub).billing().freePeriods()).isZero();
    }

    @Test
    void onASeatsPlanWithACouponTheFreePeriodTakesWhatTheCouponLeft() {
        server = TestServer.on(database);
        api = Scenario.tenantAt(server, Instant.parse("2030-01-01T09:00:00Z"));
        String account = api.newPayingAccount("Team shop", "usd", "UTC");
        // $10.00 with 2 seats included, $3.00 a seat more: 4 seats are 1000 + 2 × 300 = 1600; 25 % off is 400.
        String plan = api.idOf(api.post("/v1/plans", "{\"name\":\"Team\",\"type\":\"seats\",\"currency\":\"usd\",\"amount\":1000,"
                + "\"included_seats\":2,\"seat_amount\":300}"));
        String coupon = api.idOf(api.post("/v1/coupons", "{\"name\":\"Partner\",\"percent_off\":25,\"duration\":\"forever\"}"));
        String sub = api.idOf(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\",\"seats\":4,\"coupon\":\""
                + coupon + "\"}"));
        api.advanceTo("2030-01-15T12:00:00Z");
        server.app.subscriptions.giveFreePeriods(api.tenant, sub, 1, null);
        api.advanceTo("2030-03-01T09:00:00Z");
        assertThat(billed(account)).containsExactly(
                new Billed(1600, 400, 1200, "paid", List.of(new Off("Partner: 25% off", 400))),
                new Billed(1600, 1600, 0, "paid", List.of(new Off("Partner: 25% off", 400), new Off("Free period", 1200))),
                new Billed(1600, 400, 1200, "paid", List.of(new Off("Partner: 25% off", 400))));
    }

    @Test
    void aUsagePlanNoPeriodsTooManyAndAnEndingSubscriptionAreRefused() {
        server = TestServer.on(database);
        api = Scenario.tenantAt(server, Instant.parse("2030-01-01T09:00:00Z"));
        String account = api.newPayingAccount("Shop", "usd", "UTC");
        String plan = api.idOf(api.post("/v1/plans", "{\"name\":\"Hosting M\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":2500}"));
        String sub = api.idOf(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\"}"));
        assertThatThrownBy(() -> server.app.subscriptions.giveFreePeriods(api.tenant, sub, 0, null))
                .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.field()).isEqualTo("periods"));
        assertThatThrownBy(() -> server.app.subscriptions.giveFreePeriods(api.tenant, sub, 13, null))
                .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.field()).isEqualTo("periods"));
        assertThatThrownBy(() -> server.app.subscriptions.giveFreePeriods(api.tenant, sub, 1, "x".repeat(201)))
                .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.field()).isEqualTo("reason"));
        api.idOf(api.post("/v1/subscriptions/" + sub, "{\"cancel_at_period_end\":true}"));
        assertThatThrownBy(() -> server.app.subscriptions.giveFreePeriods(api.tenant, sub, 1, null))
                .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.code()).isEqualTo("subscription_ending"));
        String usage = api.idOf(api.post("/v1/plans", "{\"name\":\"Calls\",\"type\":\"usage\",\"currency\":\"usd\",\"unit_amount\":2}"));
        String usageSub = api.idOf(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + usage + "\"}"));
        assertThatThrownBy(() -> server.app.subscriptions.giveFreePeriods(api.tenant, usageSub, 1, null))
                .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.code()).isEqualTo("free_period_usage_plan"));
    }
}
