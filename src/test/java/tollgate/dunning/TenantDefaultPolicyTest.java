package tollgate.dunning;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.catalog.PlanType;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * SPEC §6: "otherwise the tenant's default applies". The default is a setting of {@code POST /v1/tenant}, checked as
 * a plan's {@code dunning_policy} is; without one, license plans follow {@code licenses_default} and the others
 * {@code hosting_default}.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class TenantDefaultPolicyTest {
    private static final String REMINDERS = """
            {"name": "Gentle reminders", "steps": [
              {"after_days": 0, "action": "notify", "template": "invoice_unpaid"},
              {"after_days": 5, "action": "retry_payment"},
              {"after_days": 5, "action": "notify", "template": "payment_failed_again"},
              {"after_days": 30, "action": "suspend_services"},
              {"after_days": 60, "action": "cancel_services"},
              {"after_days": 60, "action": "schedule_data_deletion", "backup_retention_days": 30}]}""";

    @Parameter
    TestDatabase database;
    ApiClient api;

    @BeforeEach
    void tenant() {
        api = TestServer.on(database).newTenant();
    }

    @Test
    void withoutADefaultLicensePlansFollowLicensesDefaultAndTheOthersHostingDefault() {
        assertThat(api.get("/v1/tenant").json().get("dunning_policy").isNull()).isTrue();
        assertThat(defaultFor(PlanType.LICENSE)).isEqualTo("licenses_default");
        assertThat(defaultFor(PlanType.FLAT)).isEqualTo("hosting_default");
        assertThat(defaultFor(PlanType.SEATS)).isEqualTo("hosting_default");
        assertThat(defaultFor(PlanType.USAGE)).isEqualTo("hosting_default");
    }

    @Test
    void theTenantsDefaultIsSetShownAndChosenForEveryPlanType() {
        String policy = api.post("/v1/dunning_policies", REMINDERS).str("id");
        Res set = api.post("/v1/tenant", "{\"dunning_policy\": \"" + policy + "\"}");
        assertThat(set.status()).as(set.text()).isEqualTo(200);
        assertThat(set.str("dunning_policy")).isEqualTo(policy);
        assertThat(api.get("/v1/tenant").str("dunning_policy")).isEqualTo(policy);
        for (PlanType type : PlanType.values()) assertThat(defaultFor(type)).isEqualTo(policy);

        Res builtIn = api.post("/v1/tenant", "{\"dunning_policy\": \"licenses_default\"}");
        assertThat(builtIn.str("dunning_policy")).isEqualTo("licenses_default");
        assertThat(defaultFor(PlanType.FLAT)).isEqualTo("licenses_default");
    }

    @Test
    void nullOrAbsentLeavesTheDefaultAndAnEmptyStringClearsIt() {
        api.post("/v1/tenant", "{\"dunning_policy\": \"licenses_default\"}");
        assertThat(api.post("/v1/tenant", "{\"name\": \"Renamed\"}").str("dunning_policy")).isEqualTo("licenses_default");
        assertThat(api.post("/v1/tenant", "{\"dunning_policy\": null}").str("dunning_policy")).isEqualTo("licenses_default");
        Res cleared = api.post("/v1/tenant", "{\"dunning_policy\": \"\"}");
        assertThat(cleared.status()).as(cleared.text()).isEqualTo(200);
        assertThat(cleared.json().get("dunning_policy").isNull()).isTrue();
        assertThat(api.get("/v1/tenant").json().get("dunning_policy").isNull()).isTrue();
        assertThat(api.get("/v1/tenant").str("name")).isEqualTo("Renamed");
        assertThat(defaultFor(PlanType.FLAT)).isEqualTo("hosting_default");
    }

    @Test
    void theDefaultMustBeABuiltInOrOneOfTheTenantsPolicies() {
        api.post("/v1/tenant", "{\"name\": \"Hostmost\", \"dunning_policy\": \"hosting_default\"}");
        JsonNode before = api.get("/v1/tenant").json();
        String theirs = TestServer.on(database).newTenant().post("/v1/dunning_policies", REMINDERS).str("id");
        for (String value : List.of(theirs, "dpol_nope", "Gentle reminders", " ")) {
            Res r = api.post("/v1/tenant", "{\"name\": \"Changed\", \"dunning_policy\": \"" + value + "\"}");
            assertThat(r.status()).as(r.text()).isEqualTo(422);
            assertThat(r.code()).isEqualTo("dunning_policy_unknown");
            assertThat(r.str("field")).isEqualTo("dunning_policy");
        }
        Res wrongType = api.post("/v1/tenant", "{\"dunning_policy\": 7}");
        assertThat(wrongType.code()).isEqualTo("invalid_type");
        assertThat(api.get("/v1/tenant").json()).as("nothing changed").isEqualTo(before);
    }

    private String defaultFor(PlanType type) {
        TestServer server = TestServer.on(database);
        return server.app.dunningPolicies.defaultFor(server.app.db.dsl(), api.tenant.id(), type);
    }
}
