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

/** SPEC §2 "Discounts": percent_off or amount_off, and a duration of once, repeating (with months) or forever. */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class CouponsApiTest {
    @Parameter
    TestDatabase database;
    ApiClient api;

    @BeforeEach
    void tenant() {
        api = TestServer.on(database).newTenant();
    }

    @Test
    void aPercentageCouponRepeatsForSomeMonths() throws Exception {
        Res created = api.post("/v1/coupons", """
                {"name": "Launch", "percent_off": 25, "duration": "repeating", "duration_in_months": 3}""");
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        assertThat(created.str("id")).matches("coupon_[0-9a-z]{22}");
        assertThat(withoutIdAndTime(created.json())).isEqualTo(json("""
                {"object": "coupon", "name": "Launch", "percent_off": 25, "amount_off": null, "currency": null,
                 "duration": "repeating", "duration_in_months": 3}"""));
        assertThat(api.get("/v1/coupons/" + created.str("id")).json()).isEqualTo(created.json());
    }

    @Test
    void anAmountCouponCarriesItsCurrencyWrittenLowerCase() throws Exception {
        Res created = api.post("/v1/coupons", """
                {"amount_off": 500, "currency": "EUR", "duration": "once"}""");
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        assertThat(withoutIdAndTime(created.json())).isEqualTo(json("""
                {"object": "coupon", "name": null, "percent_off": null, "amount_off": 500, "currency": "eur",
                 "duration": "once", "duration_in_months": null}"""));
        assertThat(api.get("/v1/coupons/" + created.str("id")).json()).isEqualTo(created.json());
    }

    @Test
    void aCouponMayDiscountForever() {
        Res created = api.post("/v1/coupons", """
                {"percent_off": 100, "duration": "forever"}""");
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        assertThat(created.json().get("percent_off").asInt()).isEqualTo(100);
        assertThat(created.str("duration")).isEqualTo("forever");
    }

    @Test
    void percentOffIsAbove0AndAtMost100WithAtMostTwoDecimals() {
        assertRefused("""
                {"percent_off": 0, "duration": "once"}""", "parameter_invalid", "percent_off");
        assertRefused("""
                {"percent_off": -5, "duration": "once"}""", "parameter_invalid", "percent_off");
        assertRefused("""
                {"percent_off": 101, "duration": "once"}""", "parameter_invalid", "percent_off");
        assertRefused("""
                {"percent_off": 100.01, "duration": "once"}""", "parameter_invalid", "percent_off");
        assertRefused("""
                {"percent_off": 12.345, "duration": "once"}""", "parameter_invalid", "percent_off");
        assertRefused("""
                {"percent_off": 0.001, "duration": "once"}""", "parameter_invalid", "percent_off");
        assertRefused("""
                {"percent_off": 1e400, "duration": "once"}""", "parameter_invalid", "percent_off");
        assertRefused("""
                {"percent_off": "12.5", "duration": "once"}""", "invalid_type", "percent_off");
        assertRefused("""
                {"percent_off": true, "duration": "once"}""", "invalid_type", "percent_off");
    }

    @Test
    void aPercentageTakesTwoDecimalsAndIsWrittenWithoutTrailingZeros() {
        // Decision 089: as Stripe's percent_off, a number; kept exactly (numeric(5,2)), read back as written.
        for (String[] given : new String[][] {{"12.5", "12.5"}, {"12.50", "12.5"}, {"0.01", "0.01"}, {"33.33", "33.33"},
                {"100.00", "100"}, {"1e1", "10"}, {"99.99", "99.99"}}) {
            Res created = api.post("/v1/coupons", "{\"percent_off\": " + given[0] + ", \"duration\": \"forever\"}");
            assertThat(created.status()).as(created.text()).isEqualTo(200);
            assertThat(created.json().get("percent_off").toString()).as(given[0]).isEqualTo(given[1]);
            Res read = api.get("/v1/coupons/" + created.str("id"));
            assertThat(read.json().get("percent_off").toString()).as(given[0]).isEqualTo(given[1]);
        }
    }

    @Test
    void aCouponHasExactlyOneOfPercentOffAndAmountOff() {
        assertRefused("""
                {"percent_off": 10, "amount_off": 500, "currency": "usd", "duration": "once"}""",
                "parameters_exclusive", "amount_off");
        assertRefused("""
                {"duration": "once"}""", "parameter_missing", "percent_off");
    }

    @Test
    void anAmountOffNeedsAKnownCurrencyAndIsPositive() {
        assertRefused("""
                {"amount_off": 500, "duration": "once"}""", "parameter_missing", "currency");
        assertRefused("""
                {"amount_off": 500, "currency": "xyz", "duration": "once"}""", "currency_invalid", "currency");
        assertRefused("""
                {"amount_off": -500, "currency": "usd", "duration": "once"}""", "parameter_invalid", "amount_off");
        assertRefused("""
                {"amount_off": 0, "currency": "usd", "duration": "once"}""", "parameter_invalid", "amount_off");
    }

    @Test
    void aPercentageTakesNoCurrency() {
        assertRefused("""
                {"percent_off": 10, "currency": "usd", "duration": "once"}""", "parameter_not_applicable", "currency");
    }

    @Test
    void theDurationIsRequiredAndMustBeOnceRepeatingOrForever() {
        assertRefused("""
                {"percent_off": 10}""", "parameter_missing", "duration");
        assertRefused("""
                {"percent_off": 10, "duration": "weekly"}""", "parameter_invalid", "duration");
    }

    @Test
    void aRepeatingCouponNeedsItsMonthsFrom1To120() {
        assertRefused("""
                {"percent_off": 10, "duration": "repeating"}""", "parameter_missing", "duration_in_months");
        assertRefused("""
                {"percent_off": 10, "duration": "repeating", "duration_in_months": 0}""", "parameter_invalid", "duration_in_months");
        assertRefused("""
                {"percent_off": 10, "duration": "repeating", "duration_in_months": 121}""", "parameter_invalid", "duration_in_months");
    }

    @Test
    void monthsApplyOnlyToARepeatingCoupon() {
        assertRefused("""
                {"percent_off": 10, "duration": "once", "duration_in_months": 3}""", "parameter_not_applicable", "duration_in_months");
        assertRefused("""
                {"percent_off": 10, "duration": "forever", "duration_in_months": 3}""", "parameter_not_applicable", "duration_in_months");
    }

    @Test
    void theNameIsOptionalButNotBlankOrOverlong() {
        assertRefused("""
                {"name": " ", "percent_off": 10, "duration": "once"}""", "parameter_invalid", "name");
        assertRefused("{\"name\": \"" + "n".repeat(201) + "\", \"percent_off\": 10, \"duration\": \"once\"}",
                "parameter_invalid", "name");
        assertRefused("""
                {"percent_off": 10, "duration": "once", "code": "SAVE10"}""", "unknown_field", "code");
    }

    @Test
    void anotherTenantsCouponIsMissing() {
        String id = api.post("/v1/coupons", """
                {"percent_off": 10, "duration": "once"}""").str("id");
        ApiClient other = TestServer.on(database).newTenant();
        Res r = other.get("/v1/coupons/" + id);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.code()).isEqualTo("resource_missing");
        assertThat(other.get("/v1/coupons").json().get("data")).isEmpty();

        Coupons coupons = TestServer.on(database).app.coupons;
        assertThatThrownBy(() -> coupons.get(other.tenant, id))
                .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.code()).isEqualTo("resource_missing"));
        assertThat(coupons.find(TestServer.on(database).app.db.dsl(), other.tenant.id(), id)).isEmpty();
        assertThat(coupons.get(api.tenant, id).percentOff()).isEqualTo(java.math.BigDecimal.TEN);
    }

    @Test
    void couponsAreListedNewestFirstInPages() {
        List<String> created = new ArrayList<>();
        for (int i = 1; i <= 3; i++)
            created.add(api.post("/v1/coupons", "{\"percent_off\": " + i + ", \"duration\": \"once\"}").str("id"));
        Res first = api.get("/v1/coupons?limit=2");
        assertThat(first.json().get("has_more").asBoolean()).isTrue();
        List<String> seen = new ArrayList<>();
        first.json().get("data").forEach(c -> seen.add(c.get("id").asText()));
        Res second = api.get("/v1/coupons?limit=2&starting_after=" + seen.get(1));
        assertThat(second.json().get("has_more").asBoolean()).isFalse();
        second.json().get("data").forEach(c -> seen.add(c.get("id").asText()));
        assertThat(seen).hasSize(3).containsExactlyInAnyOrderElementsOf(created);
        assertThat(seen).isSortedAccordingTo(Comparator.reverseOrder());
    }

    @Test
    void creatingACouponRecordsAnEventWithTheCouponAsTheApiShowsIt() {
        Res created = api.post("/v1/coupons", """
                {"name": "Spring", "amount_off": 1000, "currency": "usd", "duration": "repeating", "duration_in_months": 2}""");
        Res events = api.get("/v1/events?type=coupon.created");
        assertThat(events.json().get("data")).hasSize(1);
        assertThat(events.json().at("/data/0/data")).isEqualTo(created.json());
    }

    private void assertRefused(String body, String code, String field) {
        Res r = api.post("/v1/coupons", body);
        assertThat(r.status()).as(r.text()).isEqualTo(422);
        assertThat(r.code()).as(r.text()).isEqualTo(code);
        assertThat(r.str("field")).as(r.text()).isEqualTo(field);
        assertThat(api.get("/v1/coupons").json().get("data")).as("nothing created").isEmpty();
        assertThat(api.get("/v1/events?type=coupon.created").json().get("data")).as("no event").isEmpty();
    }

    private static JsonNode json(String text) throws Exception {
        return Json.MAPPER.readTree(text);
    }

    private static JsonNode withoutIdAndTime(JsonNode coupon) {
        ObjectNode copy = coupon.deepCopy();
        copy.remove("id");
        copy.remove("created_at");
        return copy;
    }
}
