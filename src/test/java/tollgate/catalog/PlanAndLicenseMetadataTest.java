package tollgate.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.Fixtures;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/** Metadata on plans and licenses: given at creation, merged by POST /v1/plans/{id} and /v1/licenses/{id}. */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class PlanAndLicenseMetadataTest {
    @Parameter
    TestDatabase database;

    private static JsonNode ok(Res r) {
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json();
    }

    @Test
    void aPlansMetadataIsGivenAtCreationAndMergedLater() {
        ApiClient api = TestServer.on(database).newTenant();
        JsonNode plan = ok(api.post("/v1/plans", "{\"name\":\"Pro\",\"type\":\"license\",\"currency\":\"usd\",\"amount\":900,"
                + "\"metadata\":{\"sku\":\"PRO-1\",\"shelf\":\"b\"}}"));
        String id = plan.get("id").asText();
        assertThat(plan.at("/metadata/sku").asText()).isEqualTo("PRO-1");
        JsonNode after = ok(api.post("/v1/plans/" + id, "{\"metadata\":{\"shelf\":\"\",\"tier\":\"2\"}}"));
        assertThat(after.get("metadata").toString()).isEqualTo("{\"sku\":\"PRO-1\",\"tier\":\"2\"}");
        assertThat(after.get("amount").asLong()).isEqualTo(900);
        assertThat(ok(api.get("/v1/plans/" + id)).get("metadata")).isEqualTo(after.get("metadata"));
        assertThat(ok(api.get("/v1/plans")).at("/data/0/metadata")).isEqualTo(after.get("metadata"));

        Res price = api.post("/v1/plans/" + id, "{\"amount\":1000}");
        assertThat(price.code()).isEqualTo("unknown_field");
        assertThat(price.json().get("field").asText()).isEqualTo("amount");
        assertThat(api.post("/v1/plans/" + id, "{}").json().get("field").asText()).isEqualTo("metadata");
        Res value = api.post("/v1/plans/" + id, "{\"metadata\":{\"note\":\"" + "x".repeat(501) + "\"}}");
        assertThat(value.code()).isEqualTo("metadata_value_too_long");
        assertThat(value.json().get("field").asText()).isEqualTo("metadata.note");
        Res create = api.post("/v1/plans", "{\"name\":\"X\",\"type\":\"license\",\"currency\":\"usd\",\"amount\":1,\"metadata\":{\"a\":1}}");
        assertThat(create.json().get("field").asText()).isEqualTo("metadata.a");
        assertThat(ok(api.get("/v1/plans")).get("data")).hasSize(1);
        assertThat(ok(api.get("/v1/plans/" + id)).get("metadata")).isEqualTo(after.get("metadata"));
        assertThat(api.post("/v1/plans/plan_nothing", "{\"metadata\":{}}").status()).isEqualTo(404);
    }

    @Test
    void licensesCarryMetadataFromIssueAndMergeItLater() {
        ApiClient api = TestServer.on(database).newTenant();
        String account = Fixtures.payingAccount(api, "Agency", "usd");
        String plan = Fixtures.licensePlan(api, "usd", 900);
        JsonNode issued = ok(api.post("/v1/accounts/" + account + "/licenses",
                "{\"plan\":\"" + plan + "\",\"quantity\":2,\"metadata\":{\"order\":\"A-17\"}}"));
        String id = issued.at("/data/0/id").asText();
        assertThat(issued.at("/data/1/metadata/order").asText()).isEqualTo("A-17");

        JsonNode after = ok(api.post("/v1/licenses/" + id, "{\"metadata\":{\"order\":\"\",\"seat\":\"anna\"}}"));
        assertThat(after.get("metadata").toString()).isEqualTo("{\"seat\":\"anna\"}");
        assertThat(after.get("key").asText()).hasSize(29);
        assertThat(ok(api.get("/v1/licenses/" + id)).get("metadata")).isEqualTo(after.get("metadata"));
        assertThat(api.get("/v1/events?type=license.updated").json().get("data")).hasSize(1);

        Res bad = api.post("/v1/licenses/" + id, "{\"metadata\":{\"" + "k".repeat(41) + "\":\"v\"}}");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.json().get("field").asText()).isEqualTo("metadata");
        assertThat(api.post("/v1/licenses/" + id, "{\"status\":\"revoked\"}").code()).isEqualTo("unknown_field");
        Res issue = api.post("/v1/accounts/" + account + "/licenses", "{\"plan\":\"" + plan + "\",\"metadata\":\"x\"}");
        assertThat(issue.json().get("field").asText()).isEqualTo("metadata");
        assertThat(api.get("/v1/accounts/" + account + "/licenses").json().get("data")).hasSize(2);
        assertThat(ok(api.get("/v1/licenses/" + id)).get("status").asText()).isEqualTo("unassigned");
    }
}
