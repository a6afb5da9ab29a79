package tollgate.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.core.Json;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/** No input yields a 500: over-long and NUL-bearing values in every string field of the catalog are 422s naming the field. */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class CatalogInputLimitsTest {
    @Parameter
    TestDatabase database;

    @Test
    void everyPlanStringFieldIsRefusedWhenOverlongOrNulBearing() throws Exception {
        refusedFieldByField("/v1/plans", """
                {"name": "Pro", "type": "flat", "currency": "usd", "amount": 100, "interval": "month",
                 "dunning_policy": "hosting_default"}""", List.of("name", "type", "currency", "interval", "dunning_policy"));
    }

    @Test
    void everyCouponStringFieldIsRefusedWhenOverlongOrNulBearing() throws Exception {
        refusedFieldByField("/v1/coupons", """
                {"name": "Spring", "amount_off": 100, "currency": "usd", "duration": "once"}""",
                List.of("name", "currency", "duration"));
    }

    @Test
    void hugeIdsAndNumbersAreNeverA500() {
        ApiClient api = TestServer.on(database).newTenant();
        String longId = "plan_" + "z".repeat(1_000);
        assertThat(api.get("/v1/plans/" + longId).status()).isEqualTo(404);
        assertThat(api.get("/v1/plans?starting_after=" + longId).status()).isEqualTo(404);
        assertThat(api.get("/v1/coupons/coupon_" + "z".repeat(1_000)).status()).isEqualTo(404);
        Res huge = api.post("/v1/plans", """
                {"name": "X", "type": "flat", "currency": "usd", "amount": 99999999999999999999}""");
        assertThat(huge.status()).isEqualTo(422);
        assertThat(huge.str("field")).isEqualTo("amount");
        Res days = api.post("/v1/plans", """
                {"name": "X", "type": "flat", "currency": "usd", "amount": 1, "trial_days": 9999999999}""");
        assertThat(days.status()).isEqualTo(422);
        assertThat(days.str("field")).isEqualTo("trial_days");
    }

    private void refusedFieldByField(String path, String valid, List<String> fields) throws Exception {
        ApiClient api = TestServer.on(database).newTenant();
        assertThat(api.post(path, valid).status()).isEqualTo(200);
        for (String field : fields) {
            for (String bad : List.of("x".repeat(10_000), "a\u0000b")) {
                ObjectNode body = (ObjectNode) Json.MAPPER.readTree(valid);
                body.put(field, bad);
                Res r = api.post(path, body.toString());
                assertThat(r.status()).as(field + " " + r.text()).isEqualTo(422);
                assertThat(r.str("field")).as(field).isEqualTo(field);
            }
        }
        assertThat(api.get(path).json().get("data")).hasSize(1);
    }
}
