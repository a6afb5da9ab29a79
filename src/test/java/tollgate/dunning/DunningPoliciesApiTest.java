package tollgate.dunning;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.core.Json;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * SPEC §6 and §10: dunning policies as data. The built-ins every tenant has, a tenant's own policies (defined,
 * listed, fetched, refused when their steps make no sense), and naming one in a plan.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class DunningPoliciesApiTest {
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

    // --- the built-ins ---

    @Test
    void theBuiltInsAreListedFirstStepForStepAsTheSeedsTellThem() throws Exception {
        Res list = api.get("/v1/dunning_policies");
        assertThat(list.status()).as(list.text()).isEqualTo(200);
        assertThat(list.json()).isEqualTo(json("""
                {"object": "list", "has_more": false, "data": [
                  {"id": "licenses_default", "object": "dunning_policy", "name": "licenses_default", "built_in": true,
                   "created_at": null, "steps": [
                     {"after_days": 0, "action": "notify", "template": "invoice_unpaid", "backup_retention_days": null},
                     {"after_days": 14, "action": "block_new_licenses", "template": null, "backup_retention_days": null},
                     {"after_days": 28, "action": "revoke_all_licenses", "template": null, "backup_retention_days": null}]},
                  {"id": "hosting_default", "object": "dunning_policy", "name": "hosting_default", "built_in": true,
                   "created_at": null, "steps": [
                     {"after_days": 0, "action": "notify", "template": "payment_failed_1", "backup_retention_days": null},
                     {"after_days": 3, "action": "retry_payment", "template": null, "backup_retention_days": null},
                     {"after_days": 3, "action": "notify", "template": "payment_failed_2", "backup_retention_days": null},
                     {"after_days": 8, "action": "retry_payment", "template": null, "backup_retention_days": null},
                     {"after_days": 8, "action": "notify", "template": "payment_failed_3", "backup_retention_days": null},
                     {"after_days": 8, "action": "suspend_services", "template": null, "backup_retention_days": null},
                     {"after_days": 15, "action": "retry_payment", "template": null, "backup_retention_days": null},
                     {"after_days": 15, "action": "cancel_services", "template": null, "backup_retention_days": null},
                     {"after_days": 15, "action": "schedule_data_deletion", "template": null, "backup_retention_days": 14}]}]}"""));
    }

    @Test
    void eachBuiltInIsFetchedByItsNameExactlyAsBuiltInPoliciesDefinesIt() {
        for (DunningPolicy builtIn : BuiltInPolicies.ALL) {
            Res r = api.get("/v1/dunning_policies/" + builtIn.name());
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            assertThat(r.str("id")).isEqualTo(builtIn.name());
            assertThat(r.json().get("built_in").asBoolean()).isTrue();
            assertThat(steps(r.json())).as(builtIn.name()).isEqualTo(builtIn.steps());
        }
        assertThat(api.get("/v1/dunning_policies/hosting").status()).isEqualTo(404);
        assertThat(api.get("/v1/dunning_policies/HOSTING_DEFAULT").status()).isEqualTo(404);
    }

    // --- a tenant's own ---

    @Test
    void aPolicyIsDefinedThenFetchedAndListedAfterTheBuiltIns() throws Exception {
        Res created = api.post("/v1/dunning_policies", REMINDERS);
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        assertThat(created.str("id")).matches("dpol_[0-9a-z]{22}");
        assertThat(created.str("created_at")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        assertThat(withoutIdAndTime(created.json())).isEqualTo(json("""
                {"object": "dunning_policy", "name": "Gentle reminders", "built_in": false, "steps": [
                  {"after_days": 0, "action": "notify", "template": "invoice_unpaid", "backup_retention_days": null},
                  {"after_days": 5, "action": "retry_payment", "template": null, "backup_retention_days": null},
                  {"after_days": 5, "action": "notify", "template": "payment_failed_again", "backup_retention_days": null},
                  {"after_days": 30, "action": "suspend_services", "template": null, "backup_retention_days": null},
                  {"after_days": 60, "action": "cancel_services", "template": null, "backup_retention_days": null},
                  {"after_days": 60, "action": "schedule_data_deletion", "template": null, "backup_retention_days": 30}]}"""));

        assertThat(api.get("/v1/dunning_policies/" + created.str("id")).json()).isEqualTo(created.json());
        JsonNode data = api.get("/v1/dunning_policies").json().get("data");
        assertThat(ids(data)).containsExactly("licenses_default", "hosting_default", created.str("id"));
        assertThat(data.get(2)).isEqualTo(created.json());

        Res events = api.get("/v1/events?type=dunning_policy.created");
        assertThat(events.json().get("data")).hasSize(1);
        assertThat(events.json().at("/data/0/data")).isEqualTo(created.json());
    }

    @Test
    void sameDayStepsKeepTheirOrderAndDataDeletionKeepsNoBackupsUnlessTold() {
        Res created = api.post("/v1/dunning_policies", """
                {"name": "  Strict  ", "steps": [
                  {"after_days": 0, "action": "suspend_services"},
                  {"after_days": 0, "action": "notify", "template": "suspended"},
                  {"after_days": 0, "action": "retry_payment"},
                  {"after_days": 365, "action": "schedule_data_deletion"}]}""");
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        assertThat(created.str("name")).isEqualTo("Strict");
        DunningPolicy stored = TestServer.on(database).app.dunningPolicies
                .resolve(TestServer.on(database).app.db.dsl(), api.tenant.id(), created.str("id")).orElseThrow();
        assertThat(stored.steps()).containsExactly(
                DunningStep.of(0, DunningAction.SUSPEND_SERVICES),
                DunningStep.notify(0, "suspended"),
                DunningStep.of(0, DunningAction.RETRY_PAYMENT),
                new DunningStep(365, DunningAction.SCHEDULE_DATA_DELETION, null, 0));
        assertThat(stored.builtIn()).isFalse();
        assertThat(steps(created.json())).isEqualTo(stored.steps());
    }

    @Test
    void theOwnPoliciesListNewestFirstAndPageAcrossTheBuiltIns() {
        List<String> own = new ArrayList<>();
        for (int i = 1; i <= 3; i++)
            own.add(api.post("/v1/dunning_policies", "{\"name\": \"P" + i + "\", \"steps\": [{\"after_days\": " + i
                    + ", \"action\": \"block_new_licenses\"}]}").str("id"));
        // Newest first is by id, and ids made in the same millisecond sort by their random part: the three may come
        // in any order among themselves (Ids), always after the built-ins and always the same way across pages.
        List<String> all = new ArrayList<>(List.of("licenses_default", "hosting_default"));
        all.addAll(own.stream().sorted(java.util.Comparator.reverseOrder()).toList());
        assertThat(ids(api.get("/v1/dunning_policies").json().get("data"))).isEqualTo(all);

        for (int limit = 1; limit <= 6; limit++) {
            List<String> paged = new ArrayList<>();
            String after = null;
            boolean more = true;
            while (more) {
                Res page = api.get("/v1/dunning_policies?limit=" + limit + (after == null ? "" : "&starting_after=" + after));
                assertThat(page.status()).as(page.text()).isEqualTo(200);
                List<String> ids = ids(page.json().get("data"));
                assertThat(ids.size()).isLessThanOrEqualTo(limit);
                paged.addAll(ids);
                more = page.json().get("has_more").asBoolean();
                if (more) after = ids.getLast();
            }
            assertThat(paged).as("limit " + limit).isEqualTo(all);
        }
    }

    @Test
    void aPolicyOfAnotherTenantIsMissingForThisOne() {
        String theirs = api.post("/v1/dunning_policies", REMINDERS).str("id");
        ApiClient other = TestServer.on(database).newTenant();
        Res r = other.get("/v1/dunning_policies/" + theirs);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.code()).isEqualTo("resource_missing");
        assertThat(ids(other.get("/v1/dunning_policies").json().get("data"))).containsExactly("licenses_default", "hosting_default");
        assertThat(TestServer.on(database).app.dunningPolicies
                .resolve(TestServer.on(database).app.db.dsl(), other.tenant.id(), theirs)).isEmpty();
        // The other tenant may use the same name.
        assertThat(other.post("/v1/dunning_policies", REMINDERS).status()).isEqualTo(200);
    }

    // --- what is refused: 422 naming the field, nothing written ---

    @Test
    void theNameIsRequiredAtMost100CharactersAndNotABuiltInsName() {
        assertRefused("{\"steps\": [{\"after_days\": 0, \"action\": \"retry_payment\"}]}", "parameter_missing", "name");
        assertRefused(withName(" "), "parameter_invalid", "name");
        assertRefused(withName("n".repeat(101)), "parameter_invalid", "name");
        assertRefused(withName("licenses_default"), "policy_name_reserved", "name");
        assertRefused(withName(" hosting_default "), "policy_name_reserved", "name");
        assertThat(api.post("/v1/dunning_policies", withName("n".repeat(100))).status()).isEqualTo(200);
    }

    @Test
    void aPolicyHasOneTo50Steps() {
        assertRefused("{\"name\": \"X\"}", "parameter_missing", "steps");
        assertRefused("{\"name\": \"X\", \"steps\": []}", "parameter_invalid", "steps");
        StringBuilder many = new StringBuilder("{\"name\": \"X\", \"steps\": [");
        for (int i = 0; i < 51; i++) many.append(i == 0 ? "" : ",").append("{\"after_days\": ").append(i).append(", \"action\": \"retry_payment\"}");
        assertRefused(many + "]}", "parameter_invalid", "steps");
        assertRefused("{\"name\": \"X\", \"steps\": [1]}", "invalid_type", "steps[0]");
        assertRefused("{\"name\": \"X\", \"steps\": {}}", "invalid_type", "steps");
    }

    @Test
    void daysAreWholeNumbersFrom0To365() {
        assertRefused(step("{\"action\": \"retry_payment\"}"), "parameter_missing", "steps[0].after_days");
        assertRefused(step("{\"after_days\": -1, \"action\": \"retry_payment\"}"), "parameter_invalid", "steps[0].after_days");
        assertRefused(step("{\"after_days\": 366, \"action\": \"retry_payment\"}"), "parameter_invalid", "steps[0].after_days");
        assertRefused(step("{\"after_days\": 1.5, \"action\": \"retry_payment\"}"), "invalid_type", "steps[0].after_days");
        assertRefused(step("{\"after_days\": \"3\", \"action\": \"retry_payment\"}"), "invalid_type", "steps[0].after_days");
    }

    @Test
    void anUnknownActionIsRefused() {
        assertRefused(step("{\"after_days\": 0}"), "parameter_missing", "steps[0].action");
        assertRefused("""
                {"name": "X", "steps": [{"after_days": 0, "action": "retry_payment"},
                                        {"after_days": 1, "action": "send_to_collections"}]}""",
                "action_unknown", "steps[1].action");
        assertRefused(step("{\"after_days\": 0, \"action\": \"RETRY_PAYMENT\"}"), "action_unknown", "steps[0].action");
    }

    @Test
    void stepsAreListedByDayNeverGoingBack() {
        assertRefused("""
                {"name": "X", "steps": [{"after_days": 0, "action": "retry_payment"},
                                        {"after_days": 8, "action": "suspend_services"},
                                        {"after_days": 3, "action": "retry_payment"}]}""",
                "steps_unordered", "steps[2].after_days");
    }

    @Test
    void aNotifyStepNeedsATemplateAndNoOtherStepTakesOne() {
        assertRefused(step("{\"after_days\": 0, \"action\": \"notify\"}"), "template_required", "steps[0].template");
        assertRefused(step("{\"after_days\": 0, \"action\": \"notify\", \"template\": \"Payment Failed\"}"),
                "parameter_invalid", "steps[0].template");
        assertRefused(step("{\"after_days\": 0, \"action\": \"notify\", \"template\": \"" + "t".repeat(61) + "\"}"),
                "parameter_invalid", "steps[0].template");
        assertRefused(step("{\"after_days\": 0, \"action\": \"notify\", \"template\": \"\"}"),
                "parameter_invalid", "steps[0].template");
        assertRefused(step("{\"after_days\": 0, \"action\": \"retry_payment\", \"template\": \"payment_failed_1\"}"),
                "field_not_allowed", "steps[0].template");
    }

    @Test
    void onlyADataDeletionStepKeepsBackupsFrom0To365Days() {
        assertRefused(step("{\"after_days\": 0, \"action\": \"cancel_services\", \"backup_retention_days\": 14}"),
                "field_not_allowed", "steps[0].backup_retention_days");
        assertRefused(step("{\"after_days\": 0, \"action\": \"schedule_data_deletion\", \"backup_retention_days\": -1}"),
                "parameter_invalid", "steps[0].backup_retention_days");
        assertRefused(step("{\"after_days\": 0, \"action\": \"schedule_data_deletion\", \"backup_retention_days\": 366}"),
                "parameter_invalid", "steps[0].backup_retention_days");
        assertRefused(step("{\"after_days\": 0, \"action\": \"retry_payment\", \"delay_hours\": 2}"),
                "unknown_field", "steps[0].delay_hours");
    }

    @Test
    void aSecondPolicyOfTheSameNameIsAConflictAndChangesNothing() {
        String first = api.post("/v1/dunning_policies", REMINDERS).str("id");
        Res again = api.post("/v1/dunning_policies", REMINDERS.replace("\"after_days\": 30", "\"after_days\": 31"));
        assertThat(again.status()).as(again.text()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("policy_name_taken");
        assertThat(ids(api.get("/v1/dunning_policies").json().get("data")))
                .containsExactly("licenses_default", "hosting_default", first);
        assertThat(api.get("/v1/events?type=dunning_policy.created").json().get("data")).hasSize(1);
    }

    @Test
    void concurrentPoliciesOfOneNameMakeOneAndConflictsNotErrors() throws Exception {
        int callers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<Res>> answers = new ArrayList<>();
            for (int i = 0; i < callers; i++)
                answers.add(pool.submit((Callable<Res>) () -> api.post("/v1/dunning_policies", REMINDERS)));
            List<Integer> statuses = new ArrayList<>();
            for (Future<Res> f : answers) statuses.add(f.get().status());
            assertThat(statuses).as(statuses.toString()).containsOnly(200, 409);
            assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(api.get("/v1/dunning_policies").json().get("data")).hasSize(3);
    }

    // --- choosing a policy: per plan, or the tenant's default ---

    @Test
    void aPlanMayNameOneOfTheTenantsPolicies() {
        String policy = api.post("/v1/dunning_policies", REMINDERS).str("id");
        Res plan = api.post("/v1/plans", """
                {"name": "Hosting S", "type": "flat", "currency": "usd", "amount": 1500, "dunning_policy": "%s"}""".formatted(policy));
        assertThat(plan.status()).as(plan.text()).isEqualTo(200);
        assertThat(plan.str("dunning_policy")).isEqualTo(policy);
        assertThat(api.get("/v1/plans/" + plan.str("id")).str("dunning_policy")).isEqualTo(policy);
    }

    @Test
    void aPlanCannotNameAnotherTenantsPolicyOrAnUnknownOne() {
        String theirs = api.post("/v1/dunning_policies", REMINDERS).str("id");
        ApiClient other = TestServer.on(database).newTenant();
        for (String name : List.of(theirs, "dpol_nope", "Gentle reminders", "HOSTING_DEFAULT")) {
            Res plan = other.post("/v1/plans", """
                    {"name": "Hosting S", "type": "flat", "currency": "usd", "amount": 1500, "dunning_policy": "%s"}""".formatted(name));
            assertThat(plan.status()).as(plan.text()).isEqualTo(422);
            assertThat(plan.code()).isEqualTo("dunning_policy_unknown");
            assertThat(plan.str("field")).isEqualTo("dunning_policy");
        }
        assertThat(other.get("/v1/plans").json().get("data")).isEmpty();
    }

    // --- helpers ---

    private void assertRefused(String body, String code, String field) {
        Res r = api.post("/v1/dunning_policies", body);
        assertThat(r.status()).as(r.text()).isEqualTo(422);
        assertThat(r.code()).as(r.text()).isEqualTo(code);
        assertThat(r.str("field")).as(r.text()).isEqualTo(field);
        assertThat(ids(api.get("/v1/dunning_policies").json().get("data"))).as("nothing created")
                .containsExactly("licenses_default", "hosting_default");
        assertThat(api.get("/v1/events?type=dunning_policy.created").json().get("data")).as("no event").isEmpty();
    }

    private static String withName(String name) {
        return "{\"name\": \"" + name + "\", \"steps\": [{\"after_days\": 0, \"action\": \"retry_payment\"}]}";
    }

    private static String step(String step) {
        return "{\"name\": \"X\", \"steps\": [" + step + "]}";
    }

    private static List<String> ids(JsonNode data) {
        List<String> ids = new ArrayList<>();
        data.forEach(p -> ids.add(p.get("id").asText()));
        return ids;
    }

    /** The steps of a policy's JSON read back into the domain's records. */
    private static List<DunningStep> steps(JsonNode policy) {
        List<DunningStep> steps = new ArrayList<>();
        for (JsonNode s : policy.get("steps")) {
            steps.add(new DunningStep(s.get("after_days").asInt(), DunningAction.parse(s.get("action").asText()).orElseThrow(),
                    s.get("template").isNull() ? null : s.get("template").asText(),
                    s.get("backup_retention_days").isNull() ? null : s.get("backup_retention_days").asInt()));
        }
        return steps;
    }

    private static JsonNode json(String text) throws Exception {
        return Json.MAPPER.readTree(text);
    }

    private static JsonNode withoutIdAndTime(JsonNode policy) {
        ObjectNode copy = policy.deepCopy();
        copy.remove("id");
        copy.remove("created_at");
        return copy;
    }
}
