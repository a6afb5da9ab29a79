package tollgate.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.core.Json;
import tollgate.core.Problem;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/** SPEC §2 and §10: plans of each type, the price fields each needs, and what is refused. */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class PlansApiTest {
    @Parameter
    TestDatabase database;
    ApiClient api;

    @BeforeEach
    void tenant() {
        api = TestServer.on(database).newTenant();
    }

    // --- creating and fetching each type ---

    @Test
    void aLicensePlanChargesAnAmountPerLicensePerMonth() throws Exception {
        Res created = api.post("/v1/plans", """
                {"name": "Pro plugin", "type": "license", "currency": "USD", "amount": 900}""");
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        assertThat(created.str("id")).matches("plan_[0-9a-z]{22}");
        assertThat(created.str("created_at")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        assertThat(withoutIdAndTime(created.json())).isEqualTo(json("""
                {"object": "plan", "name": "Pro plugin", "type": "license", "currency": "usd", "amount": 900,
                 "interval": "month", "included_seats": null, "seat_amount": null, "unit_amount": null, "tiers": null,
                 "trial_days": 0, "dunning_policy": null, "metadata": {}, "seats_from": null}"""));

        Res fetched = api.get("/v1/plans/" + created.str("id"));
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.json()).isEqualTo(created.json());
    }

    @Test
    void aFlatPlanMayBillYearlyWithATrialAndADunningPolicy() throws Exception {
        Res created = api.post("/v1/plans", """
                {"name": "Hosting L", "type": "flat", "currency": "eur", "amount": 120000, "interval": "year",
                 "trial_days": 14, "dunning_policy": "hosting_default"}""");
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        assertThat(withoutIdAndTime(created.json())).isEqualTo(json("""
                {"object": "plan", "name": "Hosting L", "type": "flat", "currency": "eur", "amount": 120000,
                 "interval": "year", "included_seats": null, "seat_amount": null, "unit_amount": null, "tiers": null,
                 "trial_days": 14, "dunning_policy": "hosting_default", "metadata": {}, "seats_from": null}"""));
        assertThat(api.get("/v1/plans/" + created.str("id")).json()).isEqualTo(created.json());
    }

    @Test
    void aSeatsPlanHasABaseIncludedSeatsAndAPricePerExtraSeat() throws Exception {
        Res created = api.post("/v1/plans", """
                {"name": "Agency", "type": "seats", "currency": "usd", "amount": 4900, "included_seats": 5,
                 "seat_amount": 800, "interval": "month", "dunning_policy": "licenses_default"}""");
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        assertThat(withoutIdAndTime(created.json())).isEqualTo(json("""
                {"object": "plan", "name": "Agency", "type": "seats", "currency": "usd", "amount": 4900,
                 "interval": "month", "included_seats": 5, "seat_amount": 800, "unit_amount": null, "tiers": null,
                 "trial_days": 0, "dunning_policy": "licenses_default", "metadata": {}, "seats_from": null}"""));
        assertThat(api.get("/v1/plans/" + created.str("id")).json()).isEqualTo(created.json());
    }

    @Test
    void aSeatsPlanMayIncludeNoSeatsAndBillYearly() {
        Res created = api.post("/v1/plans", """
                {"name": "Per seat", "type": "seats", "currency": "usd", "amount": 0, "included_seats": 0,
                 "seat_amount": 1200, "interval": "year"}""");
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        assertThat(created.json().get("included_seats").asInt()).isZero();
        assertThat(created.str("interval")).isEqualTo("year");
    }

    @Test
    void aUsagePlanPricesPerUnit() throws Exception {
        Res created = api.post("/v1/plans", """
                {"name": "DB hours", "type": "usage", "currency": "usd", "unit_amount": 3}""");
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        assertThat(withoutIdAndTime(created.json())).isEqualTo(json("""
                {"object": "plan", "name": "DB hours", "type": "usage", "currency": "usd", "amount": null,
                 "interval": "month", "included_seats": null, "seat_amount": null, "unit_amount": 3, "tiers": null,
                 "trial_days": 0, "dunning_policy": null, "metadata": {}, "seats_from": null}"""));
        assertThat(api.get("/v1/plans/" + created.str("id")).json()).isEqualTo(created.json());
    }

    @Test
    void aUsagePlanMayPriceInGraduatedTiersWhichAreKeptExactly() throws Exception {
        Res created = api.post("/v1/plans", """
                {"name": "Bandwidth", "type": "usage", "currency": "usd",
                 "tiers": [{"up_to": 1000, "unit_amount": 10, "flat_amount": 500}, {"up_to": null, "unit_amount": 5}]}""");
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        assertThat(withoutIdAndTime(created.json())).isEqualTo(json("""
                {"object": "plan", "name": "Bandwidth", "type": "usage", "currency": "usd", "amount": null,
                 "interval": "month", "included_seats": null, "seat_amount": null, "unit_amount": null,
                 "tiers": [{"up_to": 1000, "unit_amount": 10, "flat_amount": 500},
                           {"up_to": null, "unit_amount": 5, "flat_amount": 0}],
                 "trial_days": 0, "dunning_policy": null, "metadata": {}, "seats_from": null}"""));
        assertThat(api.get("/v1/plans/" + created.str("id")).json()).isEqualTo(created.json());

        Plan plan = TestServer.on(database).app.plans.get(api.tenant, created.str("id"));
        assertThat(UsagePricing.price(plan, 1500)).isEqualTo(500 + 10 * 1000 + 5 * 500);
    }

    // --- what every plan needs ---

    @Test
    void theTypeIsRequiredAndMustBeLicenseFlatSeatsOrUsage() {
        assertRefused("""
                {"name": "X", "currency": "usd", "amount": 1}""", "parameter_missing", "type");
        assertRefused("""
                {"name": "X", "type": "metered", "currency": "usd", "amount": 1}""", "parameter_invalid", "type");
        assertRefused("""
                {"name": "X", "type": "LICENSE", "currency": "usd", "amount": 1}""", "parameter_invalid", "type");
    }

    @Test
    void aNameIsRequiredNotBlankAndAtMost200Characters() {
        assertRefused("""
                {"type": "flat", "currency": "usd", "amount": 1}""", "parameter_missing", "name");
        assertRefused("""
                {"name": "  ", "type": "flat", "currency": "usd", "amount": 1}""", "parameter_invalid", "name");
        assertRefused("{\"name\": \"" + "n".repeat(201) + "\", \"type\": \"flat\", \"currency\": \"usd\", \"amount\": 1}",
                "parameter_invalid", "name");
    }

    @Test
    void theCurrencyIsRequiredAndMustBeIso4217() {
        assertRefused("""
                {"name": "X", "type": "flat", "amount": 1}""", "parameter_missing", "currency");
        assertRefused("""
                {"name": "X", "type": "flat", "currency": "xyz", "amount": 1}""", "currency_invalid", "currency");
        assertRefused("""
                {"name": "X", "type": "flat", "currency": "dollars", "amount": 1}""", "currency_invalid", "currency");
    }

    @Test
    void unknownFieldsAndWrongTypesAreRefused() {
        assertRefused("""
                {"name": "X", "type": "flat", "currency": "usd", "amount": 1, "price": 1}""", "unknown_field", "price");
        assertRefused("""
                {"name": "X", "type": "flat", "currency": "usd", "amount": "9.00"}""", "invalid_type", "amount");
    }

    @Test
    void amountsAreIntegerMinorUnitsNeverFractions() {
        assertRefused("""
                {"name": "X", "type": "flat", "currency": "usd", "amount": 9.99}""", "invalid_type", "amount");
        assertRefused("""
                {"name": "X", "type": "usage", "currency": "usd", "unit_amount": 0.5}""", "invalid_type", "unit_amount");
    }

    // --- the price fields of each type ---

    @Test
    void licenseAndFlatPlansRequireAnAmount() {
        assertRefused("""
                {"name": "X", "type": "license", "currency": "usd"}""", "parameter_missing", "amount");
        assertRefused("""
                {"name": "X", "type": "flat", "currency": "usd"}""", "parameter_missing", "amount");
    }

    @Test
    void aSeatsPlanRequiresAmountIncludedSeatsAndSeatAmount() {
        assertRefused("""
                {"name": "X", "type": "seats", "currency": "usd", "included_seats": 1, "seat_amount": 1}""",
                "parameter_missing", "amount");
        assertRefused("""
                {"name": "X", "type": "seats", "currency": "usd", "amount": 1, "seat_amount": 1}""",
                "parameter_missing", "included_seats");
        assertRefused("""
                {"name": "X", "type": "seats", "currency": "usd", "amount": 1, "included_seats": 1}""",
                "parameter_missing", "seat_amount");
    }

    @Test
    void aUsagePlanNeedsExactlyOneOfUnitAmountAndTiers() {
        assertRefused("""
                {"name": "X", "type": "usage", "currency": "usd"}""", "parameter_missing", "unit_amount");
        assertRefused("""
                {"name": "X", "type": "usage", "currency": "usd", "unit_amount": 1,
                 "tiers": [{"up_to": null, "unit_amount": 1}]}""", "parameters_exclusive", "tiers");
    }

    @Test
    void amountsMustNotBeNegative() {
        assertRefused("""
                {"name": "X", "type": "license", "currency": "usd", "amount": -1}""", "parameter_invalid", "amount");
        assertRefused("""
                {"name": "X", "type": "seats", "currency": "usd", "amount": 1, "included_seats": -1, "seat_amount": 1}""",
                "parameter_invalid", "included_seats");
        assertRefused("""
                {"name": "X", "type": "seats", "currency": "usd", "amount": 1, "included_seats": 1, "seat_amount": -5}""",
                "parameter_invalid", "seat_amount");
        assertRefused("""
                {"name": "X", "type": "usage", "currency": "usd", "unit_amount": -1}""", "parameter_invalid", "unit_amount");
        assertRefused("""
                {"name": "X", "type": "usage", "currency": "usd", "tiers": [{"up_to": null, "unit_amount": -1}]}""",
                "parameter_invalid", "tiers[0].unit_amount");
        assertRefused("""
                {"name": "X", "type": "usage", "currency": "usd",
                 "tiers": [{"up_to": 10, "unit_amount": 1}, {"up_to": null, "unit_amount": 1, "flat_amount": -1}]}""",
                "parameter_invalid", "tiers[1].flat_amount");
    }

    @Test
    void fieldsThatDoNotApplyToTheTypeAreRefusedNotIgnored() {
        assertRefused("""
                {"name": "X", "type": "license", "currency": "usd", "amount": 1, "seat_amount": 1}""",
                "parameter_not_applicable", "seat_amount");
        assertRefused("""
                {"name": "X", "type": "flat", "currency": "usd", "amount": 1, "tiers": [{"up_to": null, "unit_amount": 1}]}""",
                "parameter_not_applicable", "tiers");
        assertRefused("""
                {"name": "X", "type": "flat", "currency": "usd", "amount": 1, "included_seats": 3}""",
                "parameter_not_applicable", "included_seats");
        assertRefused("""
                {"name": "X", "type": "seats", "currency": "usd", "amount": 1, "included_seats": 1, "seat_amount": 1,
                 "unit_amount": 1}""", "parameter_not_applicable", "unit_amount");
        assertRefused("""
                {"name": "X", "type": "usage", "currency": "usd", "unit_amount": 1, "amount": 100}""",
                "parameter_not_applicable", "amount");
        assertRefused("""
                {"name": "X", "type": "license", "currency": "usd", "amount": 1, "unit_amount": 1}""",
                "parameter_not_applicable", "unit_amount");
    }

    @Test
    void onlyFlatAndSeatsPlansMayBeYearly() {
        assertRefused("""
                {"name": "X", "type": "license", "currency": "usd", "amount": 1, "interval": "year"}""",
                "parameter_not_applicable", "interval");
        assertRefused("""
                {"name": "X", "type": "usage", "currency": "usd", "unit_amount": 1, "interval": "year"}""",
                "parameter_not_applicable", "interval");
        assertRefused("""
                {"name": "X", "type": "flat", "currency": "usd", "amount": 1, "interval": "week"}""",
                "parameter_invalid", "interval");
    }

    @Test
    void trialDaysRunFrom0To730() {
        assertRefused("""
                {"name": "X", "type": "flat", "currency": "usd", "amount": 1, "trial_days": -1}""",
                "parameter_invalid", "trial_days");
        assertRefused("""
                {"name": "X", "type": "flat", "currency": "usd", "amount": 1, "trial_days": 731}""",
                "parameter_invalid", "trial_days");
        Res longest = api.post("/v1/plans", """
                {"name": "X", "type": "flat", "currency": "usd", "amount": 1, "trial_days": 730}""");
        assertThat(longest.status()).as(longest.text()).isEqualTo(200);
        assertThat(longest.json().get("trial_days").asInt()).isEqualTo(730);
    }

    @Test
    void onlyTheBuiltInDunningPoliciesAreKnownForNow() {
        assertRefused("""
                {"name": "X", "type": "flat", "currency": "usd", "amount": 1, "dunning_policy": "aggressive"}""",
                "dunning_policy_unknown", "dunning_policy");
    }

    // --- graduated tiers ---

    @Test
    void tiersMustNotBeEmpty() {
        assertRefused("""
                {"name": "X", "type": "usage", "currency": "usd", "tiers": []}""", "tiers_invalid", "tiers");
    }

    @Test
    void tierBoundsMustBeStrictlyAscending() {
        assertRefused("""
                {"name": "X", "type": "usage", "currency": "usd",
                 "tiers": [{"up_to": 1000, "unit_amount": 10}, {"up_to": 500, "unit_amount": 5}, {"up_to": null, "unit_amount": 1}]}""",
                "tiers_invalid", "tiers[1].up_to");
        assertRefused("""
                {"name": "X", "type": "usage", "currency": "usd",
                 "tiers": [{"up_to": 1000, "unit_amount": 10}, {"up_to": 1000, "unit_amount": 5}, {"up_to": null, "unit_amount": 1}]}""",
                "tiers_invalid", "tiers[1].up_to");
    }

    @Test
    void tierBoundsArePositive() {
        assertRefused("""
                {"name": "X", "type": "usage", "currency": "usd",
                 "tiers": [{"up_to": 0, "unit_amount": 10}, {"up_to": null, "unit_amount": 5}]}""",
                "tiers_invalid", "tiers[0].up_to");
    }

    @Test
    void onlyTheLastTierIsUnboundedAndItMustBe() {
        assertRefused("""
                {"name": "X", "type": "usage", "currency": "usd",
                 "tiers": [{"up_to": null, "unit_amount": 10}, {"up_to": null, "unit_amount": 5}]}""",
                "tiers_invalid", "tiers[0].up_to");
        assertRefused("""
                {"name": "X", "type": "usage", "currency": "usd",
                 "tiers": [{"unit_amount": 10}, {"up_to": 100, "unit_amount": 5}]}""",
                "tiers_invalid", "tiers[0].up_to");
        assertRefused("""
                {"name": "X", "type": "usage", "currency": "usd",
                 "tiers": [{"up_to": 100, "unit_amount": 10}, {"up_to": 200, "unit_amount": 5}]}""",
                "tiers_invalid", "tiers[1].up_to");
    }

    @Test
    void eachTierIsAnObjectWithAUnitAmountAndNoOtherFields() {
        assertRefused("""
                {"name": "X", "type": "usage", "currency": "usd", "tiers": [{"up_to": null}]}""",
                "parameter_missing", "tiers[0].unit_amount");
        assertRefused("""
                {"name": "X", "type": "usage", "currency": "usd", "tiers": [{"up_to": null, "unit_amount": 1, "mode": "volume"}]}""",
                "unknown_field", "tiers[0].mode");
        assertRefused("""
                {"name": "X", "type": "usage", "currency": "usd", "tiers": [5]}""", "invalid_type", "tiers[0]");
        assertRefused("""
                {"name": "X", "type": "usage", "currency": "usd", "tiers": {"up_to": null, "unit_amount": 1}}""",
                "invalid_type", "tiers");
    }

    // --- tenancy, lists, events ---

    @Test
    void anotherTenantsPlanIsMissing() {
        String id = api.post("/v1/plans", """
                {"name": "Mine", "type": "flat", "currency": "usd", "amount": 1}""").str("id");
        ApiClient other = TestServer.on(database).newTenant();
        Res r = other.get("/v1/plans/" + id);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.code()).isEqualTo("resource_missing");
        assertThat(other.get("/v1/plans").json().get("data")).isEmpty();

        Plans plans = TestServer.on(database).app.plans;
        assertThatThrownBy(() -> plans.get(other.tenant, id))
                .isInstanceOfSatisfying(Problem.class, p -> {
                    assertThat(p.status()).isEqualTo(404);
                    assertThat(p.code()).isEqualTo("resource_missing");
                });
        assertThat(plans.find(TestServer.on(database).app.db.dsl(), other.tenant.id(), id)).isEmpty();
        assertThat(plans.find(TestServer.on(database).app.db.dsl(), api.tenant.id(), id)).isPresent();
    }

    @Test
    void theServiceAnswersThePlanTheLicensingCodeSells() {
        String id = api.post("/v1/plans", """
                {"name": "Pro plugin", "type": "license", "currency": "eur", "amount": 900}""").str("id");
        Plan plan = TestServer.on(database).app.plans.get(api.tenant, id);
        assertThat(plan.id()).isEqualTo(id);
        assertThat(plan.name()).isEqualTo("Pro plugin");
        assertThat(plan.type()).isEqualTo(PlanType.LICENSE);
        assertThat(plan.type().wire()).isEqualTo("license");
        assertThat(plan.currency()).isEqualTo("eur");
        assertThat(plan.amount()).isEqualTo(900L);
    }

    @Test
    void anUnknownPlanIs404() {
        Res r = api.get("/v1/plans/plan_doesnotexist");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.code()).isEqualTo("resource_missing");
    }

    @Test
    void plansAreListedNewestFirstInPages() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(api.post("/v1/plans", "{\"name\": \"Plan " + i + "\", \"type\": \"flat\", \"currency\": \"usd\", \"amount\": "
                    + (100 * i) + "}").str("id"));
        }
        List<String> seen = new ArrayList<>();
        Res first = api.get("/v1/plans?limit=2");
        assertThat(first.str("object")).isEqualTo("list");
        assertThat(first.json().get("has_more").asBoolean()).isTrue();
        first.json().get("data").forEach(p -> seen.add(p.get("id").asText()));
        Res second = api.get("/v1/plans?limit=2&starting_after=" + seen.get(1));
        assertThat(second.json().get("has_more").asBoolean()).isTrue();
        second.json().get("data").forEach(p -> seen.add(p.get("id").asText()));
        Res third = api.get("/v1/plans?limit=2&starting_after=" + seen.get(3));
        assertThat(third.json().get("has_more").asBoolean()).isFalse();
        third.json().get("data").forEach(p -> seen.add(p.get("id").asText()));
        assertThat(seen).hasSize(5).containsExactlyInAnyOrderElementsOf(created);
        assertThat(seen).isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(first.json().at("/data/0/object").asText()).isEqualTo("plan");
    }

    @Test
    void definingAPlanRecordsAnEventWithThePlanAsTheApiShowsIt() {
        Res created = api.post("/v1/plans", """
                {"name": "Bandwidth", "type": "usage", "currency": "usd",
                 "tiers": [{"up_to": 1000, "unit_amount": 10}, {"up_to": null, "unit_amount": 5}]}""");
        Res events = api.get("/v1/events?type=plan.created");
        assertThat(events.json().get("data")).hasSize(1);
        assertThat(events.json().at("/data/0/type").asText()).isEqualTo("plan.created");
        assertThat(events.json().at("/data/0/created_at").asText()).isEqualTo(created.str("created_at"));
        assertThat(events.json().at("/data/0/data")).isEqualTo(created.json());
    }

    @Test
    void aRetriedCreateWithTheSameIdempotencyKeyDefinesOnePlan() {
        String body = """
                {"name": "Pro plugin", "type": "license", "currency": "usd", "amount": 900}""";
        Res first = api.post("/v1/plans", body, java.util.Map.of("Idempotency-Key", "plan-pro-1"));
        Res again = api.post("/v1/plans", body, java.util.Map.of("Idempotency-Key", "plan-pro-1"));
        assertThat(again.json()).isEqualTo(first.json());
        assertThat(api.get("/v1/plans").json().get("data")).hasSize(1);
    }

    private void assertRefused(String body, String code, String field) {
        Res r = api.post("/v1/plans", body);
        assertThat(r.status()).as(r.text()).isEqualTo(422);
        assertThat(r.code()).as(r.text()).isEqualTo(code);
        assertThat(r.str("field")).as(r.text()).isEqualTo(field);
        assertThat(api.get("/v1/plans").json().get("data")).as("nothing created").isEmpty();
        assertThat(api.get("/v1/events?type=plan.created").json().get("data")).as("no event").isEmpty();
    }

    private static JsonNode json(String text) throws Exception {
        return Json.MAPPER.readTree(text);
    }

    private static JsonNode withoutIdAndTime(JsonNode plan) {
        ObjectNode copy = plan.deepCopy();
        copy.remove("id");
        copy.remove("created_at");
        return copy;
    }
}
