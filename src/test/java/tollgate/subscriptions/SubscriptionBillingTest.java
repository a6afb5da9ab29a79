package tollgate.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.charges.Charges;
import tollgate.invoicing.Discount;
import tollgate.invoicing.InvoiceLine;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.Scenario;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * What flat, seats and usage subscriptions bill, with exact dates and cents (SPEC §2). Charges are read from the
 * sources themselves ({@link Scenario}): at signup through {@code billNow}, later by asking them at an instant in
 * a transaction of the server's database, as the billing run does.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class SubscriptionBillingTest {
    @Parameter
    TestDatabase database;
    TestServer server;
    Scenario scenario;
    ApiClient api;

    @BeforeEach
    void server() {
        server = TestServer.on(database);
        scenario = Scenario.billing(server);
    }

    private static Instant at(String instant) {
        return Instant.parse(instant);
    }

    private String create(String path, String json) {
        Res r = api.post(path, json);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.str("id");
    }

    private void advance(String to) {
        Res r = api.post("/v1/test_clock/advance", "{\"to\":\"" + to + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }

    private Subscription subscribe(String account, String plan, Integer seats, String coupon) {
        return scenario.subscriptions.subscribe(api.tenant, account, plan, seats, coupon);
    }

    private Charges chargesAt(String account, String instant) {
        return scenario.chargesAt(api.tenant, account, at(instant));
    }

    private Charges billedAtSignup(String account) {
        List<Scenario.Billed> billed = scenario.billedNow.stream().filter(b -> b.account().equals(account)).toList();
        assertThat(billed).hasSize(1);
        return billed.getFirst().charges();
    }

    private static InvoiceLine line(String kind, String description, String plan, String sub, String start, String end,
                                    long quantity, Integer days, long amount) {
        return new InvoiceLine(kind, description, plan, sub, null, null, null, at(start), at(end), quantity, days, amount);
    }

    private List<String> runs() {
        return Scenario.billingRuns(server, api.tenant);
    }

    @Test
    void aFlatMonthlyPlanSignedUpOnThe4thBills2500AtSignupAndAgainOnThe4thAtTheSignupsLocalTime() {
        // 10:30 in Berlin: 09:30 UTC in winter, 08:30 UTC after the clocks change on 2030-03-31.
        api = Scenario.tenantAt(server, at("2030-03-04T09:30:00Z"));
        String account = api.newAccount("Shop", "eur", "Europe/Berlin");
        String plan = create("/v1/plans", "{\"name\":\"Hosting\",\"type\":\"flat\",\"currency\":\"eur\",\"amount\":2500}");
        Subscription sub = subscribe(account, plan, null, null);

        assertThat(sub.status()).isEqualTo(SubscriptionStatus.ACTIVE);
        assertThat(sub.currentPeriodStart()).isEqualTo(at("2030-03-04T09:30:00Z"));
        assertThat(sub.currentPeriodEnd()).isEqualTo(at("2030-04-04T08:30:00Z"));
        Charges first = billedAtSignup(account);
        assertThat(first.lines()).containsExactly(line("subscription", "Hosting, monthly", plan, sub.id(),
                "2030-03-04T09:30:00Z", "2030-04-04T08:30:00Z", 1, null, 2500));
        assertThat(first.discounts()).isEmpty();
        assertThat(runs()).containsExactly(account + " 2030-04-04T08:30:00Z");

        Charges second = chargesAt(account, "2030-04-04T08:30:00Z");
        assertThat(second.lines()).containsExactly(line("subscription", "Hosting, monthly", plan, sub.id(),
                "2030-04-04T08:30:00Z", "2030-05-04T08:30:00Z", 1, null, 2500));
        assertThat(runs()).containsExactly(account + " 2030-04-04T08:30:00Z", account + " 2030-05-04T08:30:00Z");
        // Asked again at the same instant (a retried run), nothing is due twice.
        assertThat(chargesAt(account, "2030-04-04T08:30:00Z").isEmpty()).isTrue();
        assertThat(api.get("/v1/subscriptions/" + sub.id()).str("current_period_end")).isEqualTo("2030-05-04T08:30:00Z");
    }

    @Test
    void aYearlyPlanSignedUpOnFeb29Bills120000ThenOnFeb28AndNothingInTheMonthsBetween() {
        api = Scenario.tenantAt(server, at("2028-02-29T12:00:00Z"));
        String account = api.newAccount("Host", "usd", "UTC");
        String plan = create("/v1/plans", "{\"name\":\"Hosting L\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":120000,\"interval\":\"year\"}");
        Subscription sub = subscribe(account, plan, null, null);

        assertThat(billedAtSignup(account).lines()).containsExactly(line("subscription", "Hosting L, yearly", plan, sub.id(),
                "2028-02-29T12:00:00Z", "2029-02-28T12:00:00Z", 1, null, 120000));
        assertThat(runs()).containsExactly(account + " 2029-02-28T12:00:00Z");
        assertThat(chargesAt(account, "2028-03-29T12:00:00Z").isEmpty()).isTrue();
        assertThat(chargesAt(account, "2029-02-28T12:00:00Z").lines()).containsExactly(line("subscription", "Hosting L, yearly",
                plan, sub.id(), "2029-02-28T12:00:00Z", "2030-02-28T12:00:00Z", 1, null, 120000));
        assertThat(runs()).endsWith(account + " 2030-02-28T12:00:00Z");
    }

    @Test
    void aSeatIncreaseOnJan20IsProrated3x800x15Over31Is1161OnTheFeb4InvoiceAndADecreaseWaitsForMar4() {
        api = Scenario.tenantAt(server, at("2030-01-04T09:00:00Z"));
        String account = api.newAccount("Agency", "usd", "UTC");
        String plan = create("/v1/plans", "{\"name\":\"Agency\",\"type\":\"seats\",\"currency\":\"usd\",\"amount\":4900,"
                + "\"included_seats\":5,\"seat_amount\":800}");
        Subscription sub = subscribe(account, plan, 7, null);

        // Signup: 4900 + 2 extra seats × 800 = 6500.
        Charges signup = billedAtSignup(account);
        assertThat(signup.lines()).containsExactly(
                line("subscription", "Agency, monthly", plan, sub.id(), "2030-01-04T09:00:00Z", "2030-02-04T09:00:00Z", 1, null, 4900),
                line("seats", "Agency: 7 seats, 5 included, 2 extra", plan, sub.id(), "2030-01-04T09:00:00Z", "2030-02-04T09:00:00Z", 2, null, 1600));
        assertThat(Scenario.total(signup)).isEqualTo(6500);

        advance("2030-01-20T15:00:00Z");
        Res more = api.post("/v1/subscriptions/" + sub.id(), "{\"seats\":10}");
        assertThat(more.status()).as(more.text()).isEqualTo(200);
        assertThat(more.json().get("seats").asInt()).isEqualTo(10);
        assertThat(more.json().get("pending_seats").isNull()).isTrue();

        // Feb 4: 4900 + 5 extra seats × 800 = 8900, plus 3 more seats for 15 of January's 31 days: 1161.29 → 1161.
        Charges feb = chargesAt(account, "2030-02-04T09:00:00Z");
        assertThat(feb.lines()).containsExactly(
                line("subscription", "Agency, monthly", plan, sub.id(), "2030-02-04T09:00:00Z", "2030-03-04T09:00:00Z", 1, null, 4900),
                line("seats", "Agency: 10 seats, 5 included, 5 extra", plan, sub.id(), "2030-02-04T09:00:00Z", "2030-03-04T09:00:00Z", 5, null, 4000),
                line("proration", "Agency: 3 extra seats from 2030-01-20, 15 of 31 days", plan, sub.id(),
                        "2030-01-20T15:00:00Z", "2030-02-04T09:00:00Z", 3, 15, 1161));
        assertThat(Scenario.total(feb)).isEqualTo(10061);

        advance("2030-02-10T00:00:00Z");
        Res fewer = api.post("/v1/subscriptions/" + sub.id(), "{\"seats\":6}");
        assertThat(fewer.json().get("seats").asInt()).isEqualTo(10);
        assertThat(fewer.json().get("pending_seats").asInt()).isEqualTo(6);
        assertThat(server.app.db.dsl().fetchCount(org.jooq.impl.DSL.table("subscription_prorations"),
                org.jooq.impl.DSL.field("subscription_id").eq(sub.id()))).isEqualTo(1);

        // Mar 4: the decrease takes effect, no credit: 4900 + 1 extra seat × 800 = 5700.
        Charges mar = chargesAt(account, "2030-03-04T09:00:00Z");
        assertThat(mar.lines()).extracting(InvoiceLine::kind, InvoiceLine::quantity, InvoiceLine::amount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("subscription", 1L, 4900L),
                        org.assertj.core.groups.Tuple.tuple("seats", 1L, 800L));
        Res after = api.get("/v1/subscriptions/" + sub.id());
        assertThat(after.json().get("seats").asInt()).isEqualTo(6);
        assertThat(after.json().get("pending_seats").isNull()).isTrue();
    }

    @Test
    void aYearlySeatsPlanBillsAMarch10IncreaseOnTheMar31MonthlyDate2x800x327Over365Is1433() {
        api = Scenario.tenantAt(server, at("2030-01-31T10:00:00Z"));
        String account = api.newAccount("Agency", "usd", "UTC");
        String plan = create("/v1/plans", "{\"name\":\"Agency yearly\",\"type\":\"seats\",\"currency\":\"usd\",\"amount\":49000,"
                + "\"interval\":\"year\",\"included_seats\":5,\"seat_amount\":800}");
        Subscription sub = subscribe(account, plan, null, null);
        assertThat(sub.seats()).isEqualTo(5);
        assertThat(Scenario.total(billedAtSignup(account))).isEqualTo(49000);

        advance("2030-03-10T10:00:00Z");
        assertThat(api.post("/v1/subscriptions/" + sub.id(), "{\"seats\":7}").status()).isEqualTo(200);
        assertThat(runs()).containsExactly(account + " 2030-03-31T10:00:00Z", account + " 2031-01-31T10:00:00Z");

        assertThat(chargesAt(account, "2030-02-28T10:00:00Z").isEmpty()).isTrue();
        // 2 extra seats × 800 × 327 remaining of the year's 365 days = 1433.42 → 1433, on the next monthly date.
        assertThat(chargesAt(account, "2030-03-31T10:00:00Z").lines()).containsExactly(
                line("proration", "Agency yearly: 2 extra seats from 2030-03-10, 327 of 365 days", plan, sub.id(),
                        "2030-03-10T10:00:00Z", "2031-01-31T10:00:00Z", 2, 327, 1433));
        assertThat(api.get("/v1/subscriptions/" + sub.id()).str("current_period_end")).isEqualTo("2031-01-31T10:00:00Z");
        // The year's renewal bills 49000 + 2 × 800.
        assertThat(Scenario.total(chargesAt(account, "2031-01-31T10:00:00Z"))).isEqualTo(50600);
    }

    @Test
    void aTwentyPercentForeverCouponTakes1300OffASeatsPlanOf6500AtEveryRenewal() {
        api = Scenario.tenantAt(server, at("2030-01-04T09:00:00Z"));
        String account = api.newAccount("Agency", "usd", "UTC");
        String plan = create("/v1/plans", "{\"name\":\"Agency\",\"type\":\"seats\",\"currency\":\"usd\",\"amount\":4900,"
                + "\"included_seats\":5,\"seat_amount\":800}");
        String coupon = create("/v1/coupons", "{\"name\":\"Partner\",\"percent_off\":20,\"duration\":\"forever\"}");
        Subscription sub = subscribe(account, plan, 7, coupon);

        Charges signup = billedAtSignup(account);
        assertThat(signup.discounts()).containsExactly(new Discount(coupon, sub.id(), "Partner: 20% off", 1300));
        assertThat(Scenario.total(signup)).isEqualTo(5200);
        for (String renewal : new String[] {"2030-02-04T09:00:00Z", "2030-03-04T09:00:00Z"}) {
            Charges c = chargesAt(account, renewal);
            assertThat(c.discounts()).as(renewal).containsExactly(new Discount(coupon, sub.id(), "Partner: 20% off", 1300));
            assertThat(Scenario.total(c)).isEqualTo(5200);
        }
    }

    @Test
    void aOnceCouponOf500DiscountsTheFirstInvoiceOnlyAndARepeating3MonthCouponJan4Feb4Mar4() {
        api = Scenario.tenantAt(server, at("2030-01-04T09:00:00Z"));
        String plan = create("/v1/plans", "{\"name\":\"Hosting\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":2500}");
        String once = create("/v1/coupons", "{\"name\":\"Welcome\",\"amount_off\":500,\"currency\":\"usd\",\"duration\":\"once\"}");
        String repeating = create("/v1/coupons", "{\"name\":\"Launch\",\"percent_off\":25,\"duration\":\"repeating\",\"duration_in_months\":3}");
        String a = api.newAccount("Once", "usd", "UTC");
        String b = api.newAccount("Repeating", "usd", "UTC");
        subscribe(a, plan, null, once);
        subscribe(b, plan, null, repeating);

        assertThat(billedAtSignup(a).discounts()).extracting(Discount::amount).containsExactly(500L);
        assertThat(chargesAt(a, "2030-02-04T09:00:00Z").discounts()).isEmpty();
        assertThat(Scenario.total(chargesAt(a, "2030-03-04T09:00:00Z"))).isEqualTo(2500);

        // 25% of 2500 = 625 on Jan 4, Feb 4 and Mar 4; Apr 4 is three months after the start: no discount.
        assertThat(billedAtSignup(b).discounts()).extracting(Discount::amount).containsExactly(625L);
        assertThat(chargesAt(b, "2030-02-04T09:00:00Z").discounts()).extracting(Discount::amount).containsExactly(625L);
        assertThat(chargesAt(b, "2030-03-04T09:00:00Z").discounts()).extracting(Discount::amount).containsExactly(625L);
        assertThat(chargesAt(b, "2030-04-04T09:00:00Z").discounts()).isEmpty();
    }

    @Test
    void aFourteenDayTrialFromMar20BillsNothingUntilApr3ThenTheFirstPeriodFromTheTrialsEnd() {
        api = Scenario.tenantAt(server, at("2030-03-20T09:00:00Z")); // 10:00 in Berlin
        String account = api.newAccount("Trial", "eur", "Europe/Berlin");
        String plan = create("/v1/plans", "{\"name\":\"Hosting\",\"type\":\"flat\",\"currency\":\"eur\",\"amount\":2500,\"trial_days\":14}");
        Subscription sub = subscribe(account, plan, null, null);

        assertThat(sub.status()).isEqualTo(SubscriptionStatus.TRIALING);
        assertThat(sub.trialEnd()).isEqualTo(at("2030-04-03T08:00:00Z")); // 10:00 summer time
        assertThat(sub.currentPeriodStart()).isEqualTo(at("2030-03-20T09:00:00Z"));
        assertThat(sub.currentPeriodEnd()).isEqualTo(at("2030-04-03T08:00:00Z"));
        assertThat(scenario.billedNow).noneMatch(b -> b.account().equals(account));
        assertThat(runs()).containsExactly(account + " 2030-04-03T08:00:00Z");
        assertThat(chargesAt(account, "2030-04-02T08:00:00Z").isEmpty()).isTrue(); // day 13

        Charges first = chargesAt(account, "2030-04-03T08:00:00Z");
        assertThat(first.lines()).containsExactly(line("subscription", "Hosting, monthly", plan, sub.id(),
                "2030-04-03T08:00:00Z", "2030-05-03T08:00:00Z", 1, null, 2500));
        Res after = api.get("/v1/subscriptions/" + sub.id());
        assertThat(after.str("status")).isEqualTo("active");
        assertThat(after.str("trial_end")).isEqualTo("2030-04-03T08:00:00Z");
        assertThat(runs()).endsWith(account + " 2030-05-03T08:00:00Z");
        assertThat(api.get("/v1/events?type=subscription.updated&account=" + account).json().get("data")).hasSize(1);
    }

    @Test
    void usageFromOct26ToNov26Of1500UnitsUnderGraduatedTiersBills12500AtTheCyclesEnd() {
        api = Scenario.tenantAt(server, at("2030-10-26T12:00:00Z"));
        String account = api.newPayingAccount("Apps", "usd", "UTC");
        String plan = create("/v1/plans", "{\"name\":\"Bandwidth\",\"type\":\"usage\",\"currency\":\"usd\","
                + "\"tiers\":[{\"up_to\":1000,\"unit_amount\":10},{\"up_to\":null,\"unit_amount\":5}]}");
        String sub = create("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\"}");
        assertThat(runs()).containsExactly(account + " 2030-11-26T12:00:00Z");

        advance("2030-11-20T00:00:00Z");
        assertThat(api.post("/v1/usage_events", "{\"id\":\"u1\",\"subscription\":\"" + sub + "\",\"quantity\":600,"
                + "\"timestamp\":\"2030-10-28T08:00:00Z\"}").status()).isEqualTo(200);
        assertThat(api.post("/v1/usage_events", "{\"id\":\"u2\",\"subscription\":\"" + sub + "\",\"quantity\":900}").status()).isEqualTo(200);
        assertThat(api.post("/v1/usage_events", "{\"id\":\"u2\",\"subscription\":\"" + sub + "\",\"quantity\":900}").json()
                .get("duplicate").asBoolean()).isTrue();

        // 1000 units × 10 + 500 units × 5 = 12500.
        Charges cycle = chargesAt(account, "2030-11-26T12:00:00Z");
        assertThat(cycle.lines()).containsExactly(line("usage", "Bandwidth: 1,500 units (1,000 × 0.10 + 500 × 0.05)", plan, sub,
                "2030-10-26T12:00:00Z", "2030-11-26T12:00:00Z", 1500, null, 12500));
        Res after = api.get("/v1/subscriptions/" + sub);
        assertThat(after.str("current_period_start")).isEqualTo("2030-11-26T12:00:00Z");
        assertThat(after.str("current_period_end")).isEqualTo("2030-12-26T12:00:00Z");
        assertThat(runs()).endsWith(account + " 2030-12-26T12:00:00Z");

        // The billed cycle is closed; the next one starts empty.
        Res late = api.post("/v1/usage_events", "{\"id\":\"u3\",\"subscription\":\"" + sub + "\",\"quantity\":5,"
                + "\"timestamp\":\"2030-11-19T00:00:00Z\"}");
        assertThat(late.status()).isEqualTo(422);
        assertThat(late.code()).isEqualTo("timestamp_outside_period");
        assertThat(chargesAt(account, "2030-12-26T12:00:00Z").lines()).extracting(InvoiceLine::quantity, InvoiceLine::amount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0L, 0L));
    }

    @Test
    void aFlatAndAUsageSubscriptionSignedUpAtOneInstantOnJan31LandOnTheSameInstantsFeb28AndMar31() {
        api = Scenario.tenantAt(server, at("2030-01-31T09:00:00Z")); // 10:00 in Berlin
        String account = api.newAccount("Both", "eur", "Europe/Berlin");
        String flat = create("/v1/plans", "{\"name\":\"Hosting\",\"type\":\"flat\",\"currency\":\"eur\",\"amount\":2500}");
        String metered = create("/v1/plans", "{\"name\":\"Requests\",\"type\":\"usage\",\"currency\":\"eur\",\"unit_amount\":2}");
        Subscription hosting = subscribe(account, flat, null, null);
        Subscription requests = subscribe(account, metered, null, null);
        assertThat(runs()).containsExactly(account + " 2030-02-28T09:00:00Z");
        scenario.usage.record(api.tenant, new tollgate.usage.UsageEventRules.Reported("", "r1", requests.id(), 40, null));

        Charges feb = chargesAt(account, "2030-02-28T09:00:00Z");
        assertThat(feb.lines()).extracting(InvoiceLine::kind, InvoiceLine::subscription, InvoiceLine::amount).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("subscription", hosting.id(), 2500L),
                org.assertj.core.groups.Tuple.tuple("usage", requests.id(), 80L));
        assertThat(runs()).containsExactly(account + " 2030-02-28T09:00:00Z", account + " 2030-03-31T08:00:00Z");
        assertThat(chargesAt(account, "2030-03-31T08:00:00Z").lines()).extracting(InvoiceLine::kind)
                .containsExactlyInAnyOrder("subscription", "usage");
    }

    @Test
    void cancelingNowEndsAFlatSubscriptionWithoutRefundAndBillsAUsageCycleSoFarAtOnce() {
        api = Scenario.tenantAt(server, at("2030-05-10T12:00:00Z"));
        String account = api.newAccount("Leaving", "usd", "UTC");
        String flat = create("/v1/plans", "{\"name\":\"Hosting\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":2500}");
        String metered = create("/v1/plans", "{\"name\":\"Requests\",\"type\":\"usage\",\"currency\":\"usd\",\"unit_amount\":3}");
        Subscription hosting = subscribe(account, flat, null, null);
        Subscription requests = subscribe(account, metered, null, null);
        scenario.billedNow.clear();
        scenario.usage.record(api.tenant, new tollgate.usage.UsageEventRules.Reported("", "c1", requests.id(), 70, null));
        advance("2030-05-20T12:00:00Z");

        Subscription canceled = scenario.subscriptions.cancel(api.tenant, hosting.id(), false);
        assertThat(canceled.status()).isEqualTo(SubscriptionStatus.CANCELED);
        assertThat(canceled.canceledAt()).isEqualTo(at("2030-05-20T12:00:00Z"));
        assertThat(canceled.currentPeriodEnd()).isEqualTo(at("2030-06-10T12:00:00Z"));
        assertThat(scenario.billedNow).isEmpty(); // no refund, nothing to bill

        Subscription usageCanceled = scenario.subscriptions.cancel(api.tenant, requests.id(), false);
        assertThat(usageCanceled.currentPeriodEnd()).isEqualTo(at("2030-05-20T12:00:00Z"));
        assertThat(scenario.billedNow).singleElement().satisfies(b -> {
            assertThat(b.at()).isEqualTo(at("2030-05-20T12:00:00Z"));
            assertThat(b.charges().lines()).containsExactly(line("usage", "Requests: 70 units", metered, requests.id(),
                    "2030-05-10T12:00:00Z", "2030-05-20T12:00:00Z", 70, null, 210));
        });
        assertThat(chargesAt(account, "2030-06-10T12:00:00Z").isEmpty()).isTrue();
        assertThat(api.get("/v1/events?type=subscription.canceled&account=" + account).json().get("data")).hasSize(2);
    }

    @Test
    void cancelingAtThePeriodsEndStopsTheJun10RenewalAndEndsTheSubscriptionThen() {
        api = Scenario.tenantAt(server, at("2030-05-10T12:00:00Z"));
        String account = api.newAccount("Leaving", "usd", "UTC");
        String flat = create("/v1/plans", "{\"name\":\"Hosting\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":2500}");
        String metered = create("/v1/plans", "{\"name\":\"Requests\",\"type\":\"usage\",\"currency\":\"usd\",\"unit_amount\":3}");
        Subscription hosting = subscribe(account, flat, null, null);
        Subscription requests = subscribe(account, metered, null, null);
        scenario.usage.record(api.tenant, new tollgate.usage.UsageEventRules.Reported("", "p1", requests.id(), 10, null));
        for (Subscription s : List.of(hosting, requests)) {
            Res r = api.post("/v1/subscriptions/" + s.id() + "/cancel", "{\"at_period_end\":true}");
            assertThat(r.str("status")).isEqualTo("active");
            assertThat(r.json().get("cancel_at_period_end").asBoolean()).isTrue();
            assertThat(r.json().get("canceled_at").isNull()).isTrue();
        }

        // Jun 10: no renewal of the flat plan; the usage cycle is billed (10 × 3 = 30) and both end.
        Charges end = chargesAt(account, "2030-06-10T12:00:00Z");
        assertThat(end.lines()).extracting(InvoiceLine::kind, InvoiceLine::amount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("usage", 30L));
        for (Subscription s : List.of(hosting, requests)) {
            Res r = api.get("/v1/subscriptions/" + s.id());
            assertThat(r.str("status")).isEqualTo("canceled");
            assertThat(r.str("canceled_at")).isEqualTo("2030-06-10T12:00:00Z");
        }
        assertThat(runs()).containsExactly(account + " 2030-06-10T12:00:00Z");
        assertThat(api.get("/v1/events?type=subscription.canceled&account=" + account).json().get("data")).hasSize(2);
    }
}
