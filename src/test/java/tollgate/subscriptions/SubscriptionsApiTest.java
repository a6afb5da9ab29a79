package tollgate.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.charges.ChargeSource;
import tollgate.charges.Charges;
import tollgate.invoicing.InvoiceLine;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.Scenario;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/** SPEC §10 subscriptions through HTTP: answers, refusals that write nothing, events, and the timeline they fill. */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class SubscriptionsApiTest {
    @Parameter
    TestDatabase database;
    TestServer server;
    ApiClient api;
    String account;

    @BeforeEach
    void tenant() {
        server = TestServer.on(database);
        api = Scenario.tenantAt(server, Instant.parse("2030-01-04T09:00:00Z"));
        account = api.newPayingAccount("Agency", "usd", "UTC");
    }

    private String plan(String json) {
        Res r = api.post("/v1/plans", json);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.str("id");
    }

    private String flat() {
        return plan("{\"name\":\"Hosting\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":2500}");
    }

    private String seats() {
        return plan("{\"name\":\"Agency\",\"type\":\"seats\",\"currency\":\"usd\",\"amount\":4900,\"included_seats\":5,\"seat_amount\":800}");
    }

    private Res subscribe(String body) {
        return api.post("/v1/accounts/" + account + "/subscriptions", body);
    }

    private String subscribed(String plan) {
        Res r = subscribe("{\"plan\":\"" + plan + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.str("id");
    }

    private int events(String type) {
        return api.get("/v1/events?limit=100&type=" + type + "&account=" + account).json().get("data").size();
    }

    private void advance(String to) {
        Res r = api.post("/v1/test_clock/advance", "{\"to\":\"" + to + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }

    private void assertRefused(Res r, int status, String code, String field) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.code()).isEqualTo(code);
        assertThat(r.str("field")).isEqualTo(field);
    }

    @Test
    void subscribingToAFlatPlanOnJan4AnswersTheSubscriptionAndSchedulesFeb4() {
        String plan = flat();
        Res r = subscribe("{\"plan\":\"" + plan + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        JsonNode s = r.json();
        assertThat(s.get("id").asText()).startsWith("sub_");
        assertThat(s.get("object").asText()).isEqualTo("subscription");
        assertThat(s.get("account").asText()).isEqualTo(account);
        assertThat(s.get("plan").asText()).isEqualTo(plan);
        assertThat(s.get("status").asText()).isEqualTo("active");
        assertThat(s.get("seats").isNull()).isTrue();
        assertThat(s.get("pending_seats").isNull()).isTrue();
        assertThat(s.get("pending_plan").isNull()).isTrue();
        assertThat(s.get("coupon").isNull()).isTrue();
        assertThat(s.get("current_period_start").asText()).isEqualTo("2030-01-04T09:00:00Z");
        assertThat(s.get("current_period_end").asText()).isEqualTo("2030-02-04T09:00:00Z");
        assertThat(s.get("trial_end").isNull()).isTrue();
        assertThat(s.get("cancel_at_period_end").asBoolean()).isFalse();
        assertThat(s.get("canceled_at").isNull()).isTrue();
        assertThat(s.get("created_at").asText()).isEqualTo("2030-01-04T09:00:00Z");
        assertThat(s.get("collection_method").asText()).isEqualTo("charge_automatically");
        assertThat(s.get("days_until_due").isNull()).isTrue();
        assertThat(s.get("billing_cycle_anchor").asText()).isEqualTo("2030-01-04T09:00:00Z");
        assertThat(s.get("metadata").toString()).isEqualTo("{}");
        assertThat(s.size()).as("only the documented fields: " + s).isEqualTo(19);

        assertThat(api.get("/v1/subscriptions/" + s.get("id").asText()).json()).isEqualTo(s);
        assertThat(events("subscription.created")).isEqualTo(1);
        // Billed at signup (inside the creating transaction); the timeline holds the next billing date.
        assertThat(Scenario.billingRuns(server, api.tenant)).containsExactly(account + " 2030-02-04T09:00:00Z");
    }

    @Test
    void aSeatsPlanStartsWithItsIncludedSeatsUnlessToldOtherwise() {
        String plan = seats();
        assertThat(subscribe("{\"plan\":\"" + plan + "\"}").json().get("seats").asInt()).isEqualTo(5);
        assertThat(subscribe("{\"plan\":\"" + plan + "\",\"seats\":0}").json().get("seats").asInt()).isZero();
        assertThat(subscribe("{\"plan\":\"" + plan + "\",\"seats\":12}").json().get("seats").asInt()).isEqualTo(12);
    }

    @Test
    void refusalsNameTheirFieldAndWriteNothing() {
        String flat = flat();
        String seats = seats();
        String license = plan("{\"name\":\"Plugin\",\"type\":\"license\",\"currency\":\"usd\",\"amount\":900}");
        String euro = plan("{\"name\":\"Hosting EU\",\"type\":\"flat\",\"currency\":\"eur\",\"amount\":2500}");
        Res eurCoupon = api.post("/v1/coupons", "{\"amount_off\":500,\"currency\":\"eur\",\"duration\":\"once\"}");
        String otherTenantsPlan = server.newTenant().post("/v1/plans",
                "{\"name\":\"Theirs\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":1}").str("id");

        assertRefused(subscribe("{\"plan\":\"" + license + "\"}"), 422, "plan_type_invalid", "plan");
        assertRefused(subscribe("{\"plan\":\"" + euro + "\"}"), 422, "currency_mismatch", "plan");
        assertRefused(subscribe("{\"plan\":\"plan_nope\"}"), 404, "resource_missing", "plan");
        assertRefused(subscribe("{\"plan\":\"" + otherTenantsPlan + "\"}"), 404, "resource_missing", "plan");
        assertRefused(subscribe("{\"plan\":\"" + flat + "\",\"coupon\":\"coupon_nope\"}"), 404, "resource_missing", "coupon");
        assertRefused(subscribe("{\"plan\":\"" + flat + "\",\"coupon\":\"" + eurCoupon.str("id") + "\"}"), 422,
                "coupon_currency_mismatch", "coupon");
        assertRefused(subscribe("{\"plan\":\"" + flat + "\",\"seats\":3}"), 422, "parameter_not_applicable", "seats");
        assertRefused(subscribe("{\"plan\":\"" + seats + "\",\"seats\":-1}"), 422, "parameter_invalid", "seats");
        assertRefused(subscribe("{\"plan\":\"" + seats + "\",\"seats\":2.5}"), 422, "invalid_type", "seats");
        assertRefused(subscribe("{\"plan\":\"" + seats + "\",\"seats\":\"3\"}"), 422, "invalid_type", "seats");
        assertRefused(subscribe("{\"plan\":\"" + seats + "\",\"seats\":1000001}"), 422, "parameter_invalid", "seats");
        assertRefused(subscribe("{}"), 422, "parameter_missing", "plan");
        assertRefused(subscribe("{\"plan\":\"" + flat + "\",\"quantity\":1}"), 422, "unknown_field", "quantity");
        Res noAccount = api.post("/v1/accounts/acct_nope/subscriptions", "{\"plan\":\"" + flat + "\"}");
        assertThat(noAccount.status()).isEqualTo(404);
        assertThat(noAccount.code()).isEqualTo("resource_missing");

        assertThat(api.get("/v1/accounts/" + account + "/subscriptions").json().get("data")).isEmpty();
        assertThat(events("subscription.created")).isZero();
        assertThat(Scenario.billingRuns(server, api.tenant)).isEmpty();
    }

    @Test
    void seatChangesAreForSeatsPlansAndMustBeWholeNonNegativeNumbers() {
        String flatSub = subscribed(flat());
        String seatsSub = subscribed(seats());
        assertRefused(api.post("/v1/subscriptions/" + flatSub, "{\"seats\":3}"), 422, "parameter_not_applicable", "seats");
        assertRefused(api.post("/v1/subscriptions/" + seatsSub, "{\"seats\":-2}"), 422, "parameter_invalid", "seats");
        assertRefused(api.post("/v1/subscriptions/" + seatsSub, "{\"seats\":1.5}"), 422, "invalid_type", "seats");
        assertRefused(api.post("/v1/subscriptions/" + seatsSub, "{}"), 422, "parameter_missing", "seats");
        assertRefused(api.post("/v1/subscriptions/" + seatsSub, "{\"plan\":\"x\"}"), 404, "resource_missing", "plan");   // decision 052
        assertRefused(api.post("/v1/subscriptions/" + seatsSub, "{\"quantity\":2}"), 422, "unknown_field", "quantity");
        assertThat(api.post("/v1/subscriptions/sub_nope", "{\"seats\":3}").status()).isEqualTo(404);
        assertThat(api.get("/v1/subscriptions/" + seatsSub).json().get("seats").asInt()).isEqualTo(5);
        assertThat(events("subscription.updated")).isZero();
    }

    @Test
    void seatChangesAndCancelAtPeriodEndRecordSubscriptionUpdated() {
        String sub = subscribed(seats());
        advance("2030-01-20T00:00:00Z");
        assertThat(api.post("/v1/subscriptions/" + sub, "{\"seats\":8}").json().get("seats").asInt()).isEqualTo(8);
        assertThat(api.post("/v1/subscriptions/" + sub, "{\"seats\":8}").status()).isEqualTo(200); // no change, no event
        Res down = api.post("/v1/subscriptions/" + sub, "{\"seats\":6}");
        assertThat(down.json().get("seats").asInt()).isEqualTo(8);
        assertThat(down.json().get("pending_seats").asInt()).isEqualTo(6);
        // Back to the current count withdraws the pending decrease.
        assertThat(api.post("/v1/subscriptions/" + sub, "{\"seats\":8}").json().get("pending_seats").isNull()).isTrue();
        Res ending = api.post("/v1/subscriptions/" + sub + "/cancel", "{\"at_period_end\":true}");
        assertThat(ending.json().get("cancel_at_period_end").asBoolean()).isTrue();
        Res staying = api.post("/v1/subscriptions/" + sub, "{\"cancel_at_period_end\":false}");
        assertThat(staying.json().get("cancel_at_period_end").asBoolean()).isFalse();
        assertThat(events("subscription.updated")).isEqualTo(5);
        JsonNode latest = api.get("/v1/events?limit=1&type=subscription.updated&account=" + account).json().at("/data/0/data");
        assertThat(latest.get("id").asText()).isEqualTo(sub);
        assertThat(latest.get("seats").asInt()).isEqualTo(8);
    }

    @Test
    void aCanceledSubscriptionCannotChange() {
        String sub = subscribed(seats());
        Res canceled = api.post("/v1/subscriptions/" + sub + "/cancel", null);
        assertThat(canceled.status()).as(canceled.text()).isEqualTo(200);
        assertThat(canceled.str("status")).isEqualTo("canceled");
        assertThat(canceled.str("canceled_at")).isEqualTo("2030-01-04T09:00:00Z");
        assertRefused(api.post("/v1/subscriptions/" + sub, "{\"seats\":9}"), 409, "subscription_canceled", null);
        assertRefused(api.post("/v1/subscriptions/" + sub + "/cancel", null), 409, "subscription_canceled", null);
        assertRefused(api.post("/v1/subscriptions/" + sub + "/cancel", "{\"at_period_end\":true}"), 409, "subscription_canceled", null);
        assertThat(api.get("/v1/subscriptions/" + sub).json().get("seats").asInt()).isEqualTo(5);
        assertThat(events("subscription.canceled")).isEqualTo(1);
        assertRefused(api.post("/v1/subscriptions/" + sub + "/cancel", "{\"at_period_end\":\"yes\"}"), 422, "invalid_type", "at_period_end");
    }

    @Test
    void listsAreNewestFirstPerAccountAndFilterByStatus() {
        String flat = flat();
        String first = subscribed(flat);
        String second = subscribed(flat);
        String third = subscribed(flat);
        api.post("/v1/subscriptions/" + second + "/cancel", null);
        JsonNode all = api.get("/v1/accounts/" + account + "/subscriptions").json();
        assertThat(all.get("object").asText()).isEqualTo("list");
        assertThat(all.get("data").findValuesAsText("id")).containsExactly(third, second, first);
        JsonNode page = api.get("/v1/accounts/" + account + "/subscriptions?limit=1&starting_after=" + third).json();
        assertThat(page.get("data").findValuesAsText("id")).containsExactly(second);
        assertThat(page.get("has_more").asBoolean()).isTrue();
        assertThat(api.get("/v1/accounts/" + account + "/subscriptions?status=canceled").json().get("data").findValuesAsText("id"))
                .containsExactly(second);
        assertRefused(api.get("/v1/accounts/" + account + "/subscriptions?status=paused"), 422, "parameter_invalid", "status");
        assertThat(api.get("/v1/accounts/acct_nope/subscriptions").status()).isEqualTo(404);
    }

    @Test
    void anotherTenantsSubscriptionIsInvisible() {
        String sub = subscribed(flat());
        ApiClient other = server.newTenant();
        assertThat(other.get("/v1/subscriptions/" + sub).status()).isEqualTo(404);
        assertThat(other.post("/v1/subscriptions/" + sub + "/cancel", null).status()).isEqualTo(404);
        assertThat(other.post("/v1/subscriptions/" + sub, "{\"seats\":1}").status()).isEqualTo(404);
        assertThat(other.get("/v1/accounts/" + account + "/subscriptions").status()).isEqualTo(404);
        assertThat(api.get("/v1/subscriptions/" + sub).str("status")).isEqualTo("active");
    }

    @Test
    void theTestClockRunsTheTrialsEndAndRenewalsThroughTheBillingRun() {
        String trial = plan("{\"name\":\"Hosting\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":2500,\"trial_days\":14}");
        String metered = plan("{\"name\":\"Requests\",\"type\":\"usage\",\"currency\":\"usd\",\"unit_amount\":1}");
        Res t = subscribe("{\"plan\":\"" + trial + "\"}");
        assertThat(t.str("status")).isEqualTo("trialing");
        assertThat(t.str("trial_end")).isEqualTo("2030-01-18T09:00:00Z");
        String usage = subscribed(metered);
        assertThat(Scenario.billingRuns(server, api.tenant))
                .containsExactly(account + " 2030-01-18T09:00:00Z", account + " 2030-02-04T09:00:00Z");

        advance("2030-01-18T09:00:00Z");
        Res active = api.get("/v1/subscriptions/" + t.str("id"));
        assertThat(active.str("status")).isEqualTo("active");
        assertThat(active.str("current_period_start")).isEqualTo("2030-01-18T09:00:00Z");
        assertThat(active.str("current_period_end")).isEqualTo("2030-02-18T09:00:00Z");

        advance("2030-02-20T00:00:00Z");
        assertThat(api.get("/v1/subscriptions/" + t.str("id")).str("current_period_end")).isEqualTo("2030-03-18T09:00:00Z");
        assertThat(api.get("/v1/subscriptions/" + usage).str("current_period_start")).isEqualTo("2030-02-04T09:00:00Z");
        assertThat(Scenario.billingRuns(server, api.tenant))
                .containsExactly(account + " 2030-03-04T09:00:00Z", account + " 2030-03-18T09:00:00Z");
        List<org.jooq.Record> done = server.app.db.dsl().fetch("select due_at from timeline where tenant_id = ? and kind = 'billing.run' "
                + "and state = 'done' order by due_at", api.tenant.id());
        assertThat(done).extracting(r -> r.get(0, Instant.class).toString())
                .containsExactly("2030-01-18T09:00:00Z", "2030-02-04T09:00:00Z", "2030-02-18T09:00:00Z");
    }

    @Test
    void theServersOwnChargeSourcesAnswerInATransactionOfItsDatabase() {
        String trial = plan("{\"name\":\"Hosting\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":2500,\"trial_days\":14}");
        String metered = plan("{\"name\":\"Requests\",\"type\":\"usage\",\"currency\":\"usd\",\"unit_amount\":3}");
        String hosting = subscribed(trial);
        String requests = subscribed(metered);
        assertThat(api.post("/v1/usage_events", "{\"id\":\"q1\",\"subscription\":\"" + requests + "\",\"quantity\":42}").status())
                .isEqualTo(200);
        ChargeSource.Account billed = new ChargeSource.Account(account, "usd", ZoneId.of("UTC"));

        // Jan 18, the trial's end: the first period of 2500; the usage cycle is not due.
        Instant trialEnd = Instant.parse("2030-01-18T09:00:00Z");
        Charges first = server.app.db.tx(tx -> server.app.subscriptions.charges().dueAt(new tollgate.tenants.Ctx(tx, api.tenant, trialEnd), billed));
        assertThat(first.lines()).containsExactly(new InvoiceLine("subscription", "Hosting, monthly", trial, hosting, null, null,
                null, trialEnd, Instant.parse("2030-02-18T09:00:00Z"), 1, null, 2500));
        assertThat(server.app.db.tx(tx -> server.app.usage.charges().dueAt(new tollgate.tenants.Ctx(tx, api.tenant, trialEnd), billed)).isEmpty()).isTrue();

        // Feb 4, the usage cycle's end: 42 units × 3 = 126.
        Instant cycleEnd = Instant.parse("2030-02-04T09:00:00Z");
        Charges usage = server.app.db.tx(tx -> server.app.usage.charges().dueAt(new tollgate.tenants.Ctx(tx, api.tenant, cycleEnd), billed));
        assertThat(usage.lines()).containsExactly(new InvoiceLine("usage", "Requests: 42 units", metered, requests, null, null, null,
                Instant.parse("2030-01-04T09:00:00Z"), cycleEnd, 42, null, 126));
        assertThat(Scenario.billingRuns(server, api.tenant)).containsExactly(account + " 2030-01-18T09:00:00Z",
                account + " 2030-02-04T09:00:00Z", account + " 2030-02-18T09:00:00Z", account + " 2030-03-04T09:00:00Z");
    }

    @Test
    void seatsChangedDuringATrialChangeTheCountWithoutProration() {
        String plan = plan("{\"name\":\"Agency\",\"type\":\"seats\",\"currency\":\"usd\",\"amount\":4900,\"included_seats\":5,"
                + "\"seat_amount\":800,\"trial_days\":30}");
        String sub = subscribed(plan);
        assertThat(api.post("/v1/subscriptions/" + sub, "{\"seats\":9}").json().get("seats").asInt()).isEqualTo(9);
        Res down = api.post("/v1/subscriptions/" + sub, "{\"seats\":7}");
        assertThat(down.json().get("seats").asInt()).isEqualTo(7);
        assertThat(down.json().get("pending_seats").isNull()).isTrue();
        assertThat(server.app.db.dsl().fetchCount(DSL.table("subscription_prorations"), DSL.field("subscription_id").eq(sub))).isZero();
    }

    @Test
    void anIdempotentRetryOfASubscribeAnswersTheSameSubscription() {
        String plan = flat();
        Map<String, String> key = Map.of("Idempotency-Key", "subscribe-1");
        Res first = api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\"}", key);
        Res again = api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\"}", key);
        assertThat(again.str("id")).isEqualTo(first.str("id"));
        assertThat(api.get("/v1/accounts/" + account + "/subscriptions").json().get("data")).hasSize(1);
    }
}
