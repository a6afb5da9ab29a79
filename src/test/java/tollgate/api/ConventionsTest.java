package tollgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/** SPEC §8: every caller mistake is a 4xx problem JSON with a stable code, and changes nothing. */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class ConventionsTest {
    private static final String VALID = "{\"name\":\"Shop\",\"email\":\"a@shop.test\",\"currency\":\"usd\"}";

    @Parameter
    TestDatabase database;
    TestServer server;
    ApiClient api;

    @BeforeEach
    void tenant() {
        server = TestServer.on(database);
        api = server.newTenant();
    }

    private void assertProblem(Res r, int status, String code) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.header("content-type")).startsWith("application/problem+json");
        assertThat(r.code()).isEqualTo(code);
        assertThat(r.json().get("status").asInt()).isEqualTo(status);
        assertThat(r.str("type")).isEqualTo("urn:tollgate:problem:" + code);
        assertThat(r.str("title")).isNotBlank();
        assertThat(r.str("detail")).isNotBlank();
        assertThat(r.str("request_id")).isEqualTo(r.header("request-id"));
    }

    private void assertNoAccounts() {
        assertThat(api.get("/v1/accounts").json().get("data")).isEmpty();
        assertThat(api.get("/v1/events").json().get("data")).isEmpty();
    }

    @Test
    void missingAndWrongKeysAre401() {
        ApiClient anonymous = server.anonymous();
        Res none = anonymous.post("/v1/accounts", VALID);
        assertProblem(none, 401, "authentication_required");
        assertThat(none.header("www-authenticate")).isEqualTo("Bearer");
        assertProblem(anonymous.send(anonymous.request("/v1/accounts").header("Authorization", "Bearer tg_test_AAAAAAAAAAAAAAAAAAAAAAAA").GET()),
                401, "invalid_api_key");
        assertProblem(anonymous.send(anonymous.request("/v1/accounts").header("Authorization", "Basic abc").GET()),
                401, "invalid_api_key");
        assertProblem(anonymous.send(anonymous.request("/v1/accounts").header("Authorization", "Bearer nonsense").GET()),
                401, "invalid_api_key");
        assertNoAccounts();
    }

    @Test
    void malformedJsonIs400() {
        assertProblem(api.post("/v1/accounts", "{\"name\": "), 400, "malformed_json");
        assertProblem(api.post("/v1/accounts", "[1,2]"), 400, "malformed_json");
        assertProblem(api.post("/v1/accounts", "{\"name\":\"a\"} trailing"), 400, "malformed_json");
        // A key given twice, also inside an object: which one was meant is not guessed (the last one used to win).
        assertProblem(api.post("/v1/accounts", "{\"name\":\"A\",\"name\":\"B\",\"email\":\"a@b.test\",\"currency\":\"usd\"}"),
                400, "malformed_json");
        assertProblem(api.post("/v1/accounts", "{\"name\":\"A\",\"email\":\"a@b.test\",\"currency\":\"usd\","
                + "\"metadata\":{\"k\":\"1\",\"k\":\"2\"}}"), 400, "malformed_json");
        assertNoAccounts();
    }

    /** What a generated client sends for an optional body it was not given: JSON null, read as no body at all. */
    @Test
    void aNullBodyIsNoBody() {
        assertProblem(api.post("/v1/accounts", "null"), 422, "parameter_missing");
        assertNoAccounts();
    }

    @Test
    void unknownFieldsWrongTypesAndMissingFieldsAre422NamingTheField() {
        Res unknown = api.post("/v1/accounts", "{\"name\":\"Shop\",\"email\":\"a@shop.test\",\"currency\":\"usd\",\"colour\":\"red\"}");
        assertProblem(unknown, 422, "unknown_field");
        assertThat(unknown.str("field")).isEqualTo("colour");

        Res wrongType = api.post("/v1/accounts", "{\"name\":42,\"email\":\"a@shop.test\",\"currency\":\"usd\"}");
        assertProblem(wrongType, 422, "invalid_type");
        assertThat(wrongType.str("field")).isEqualTo("name");

        Res nested = api.post("/v1/accounts", "{\"name\":\"Shop\",\"email\":\"a@shop.test\",\"currency\":\"usd\",\"company\":\"Acme\"}");
        assertProblem(nested, 422, "invalid_type");
        assertThat(nested.str("field")).isEqualTo("company");

        Res missing = api.post("/v1/accounts", "{\"name\":\"Shop\",\"currency\":\"usd\"}");
        assertProblem(missing, 422, "parameter_missing");
        assertThat(missing.str("field")).isEqualTo("email");

        Res empty = api.post("/v1/accounts", null);
        assertProblem(empty, 422, "parameter_missing");
        assertThat(empty.str("field")).isEqualTo("name");
        assertNoAccounts();
    }

    @Test
    void bodiesOverOneMebibyteAre413() {
        String big = "{\"name\":\"" + "x".repeat(1024 * 1024) + "\"}";
        assertProblem(api.post("/v1/accounts", big), 413, "body_too_large");
        assertNoAccounts();
    }

    @Test
    void bodiesThatAreNotJsonAre415() {
        Res r = api.send(api.request("/v1/accounts").header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(VALID)));
        assertProblem(r, 415, "unsupported_media_type");
        assertNoAccounts();
    }

    @Test
    void unknownRoutesAre404AndWrongMethods405() {
        assertProblem(api.get("/v1/nothing_here"), 404, "route_not_found");
        assertProblem(api.delete("/v1/accounts"), 405, "method_not_allowed");
        assertProblem(api.post("/v1/events", "{}"), 405, "method_not_allowed");
        assertNoAccounts();
    }

    /**
     * Decision 090: a fixed segment of one method's route is no id for another's (GET /v1/licenses/activate was the
     * license "activate", 404), and HEAD is GET without its body, the key checked as for GET (it was 200 for anyone).
     */
    @Test
    void aFixedSegmentIsNoIdAndHeadIsAnsweredAsGet() {
        assertProblem(api.get("/v1/licenses/activate"), 405, "method_not_allowed");
        assertProblem(server.anonymous().get("/v1/licenses/activate"), 405, "method_not_allowed");
        assertProblem(api.delete("/v1/licenses/validate"), 405, "method_not_allowed");
        assertThat(head(api, "/v1/licenses/activate").status()).isEqualTo(405);
        assertThat(api.get("/v1/licenses/lic_nope").status()).isEqualTo(404);

        String account = api.idOf(api.post("/v1/accounts", VALID));
        Res anonymous = head(server.anonymous(), "/v1/accounts/" + account + "/licenses");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.header("www-authenticate")).isEqualTo("Bearer");
        assertThat(anonymous.text()).isEmpty();
        assertThat(head(api.withKey("tg_test_AAAAAAAAAAAAAAAAAAAAAAAA"), "/v1/accounts/" + account + "/licenses").status()).isEqualTo(401);
        Res mine = head(api, "/v1/accounts/" + account + "/licenses");
        assertThat(mine.status()).isEqualTo(200);
        assertThat(mine.header("content-type")).startsWith("application/json");
        assertThat(mine.text()).isEmpty();
        assertThat(head(api, "/v1/accounts/acct_nope/licenses").status()).isEqualTo(404);
        assertThat(head(server.anonymous(), "/v1/accounts").status()).isEqualTo(401);
    }

    private static Res head(ApiClient client, String path) {
        return client.send(client.request(path).method("HEAD", HttpRequest.BodyPublishers.noBody()));
    }

    @Test
    void everyAnswerCarriesARequestIdAndAClientsIdIsEchoed() {
        Res r = api.get("/v1/accounts");
        assertThat(r.header("request-id")).matches("req_[0-9a-f]{24}");
        Res echoed = api.send(api.request("/v1/accounts").header("X-Request-Id", "trace-42").GET());
        assertThat(echoed.header("request-id")).isEqualTo("trace-42");
        Res refused = api.send(api.request("/v1/accounts").header("X-Request-Id", "bad id with spaces").GET());
        assertThat(refused.header("request-id")).startsWith("req_");
    }

    @Test
    void listsPageNewestFirstWithLimitAndStartingAfter() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) created.add(api.newAccount("Shop " + i, "usd", "UTC"));
        Res first = api.get("/v1/accounts?limit=2");
        assertThat(first.str("object")).isEqualTo("list");
        assertThat(first.json().get("has_more").asBoolean()).isTrue();
        List<String> seen = new ArrayList<>();
        first.json().get("data").forEach(a -> seen.add(a.get("id").asText()));
        Res second = api.get("/v1/accounts?limit=2&starting_after=" + seen.get(1));
        second.json().get("data").forEach(a -> seen.add(a.get("id").asText()));
        Res third = api.get("/v1/accounts?limit=2&starting_after=" + seen.get(3));
        third.json().get("data").forEach(a -> seen.add(a.get("id").asText()));
        assertThat(third.json().get("has_more").asBoolean()).isFalse();
        assertThat(seen).hasSize(5);
        Set<String> unique = new HashSet<>(seen);
        assertThat(unique).containsExactlyInAnyOrderElementsOf(created);
        assertThat(seen).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    }

    @Test
    void limitMustBeBetween1And100() {
        for (String bad : new String[] {"0", "101", "-1", "ten"}) {
            Res r = api.get("/v1/accounts?limit=" + bad);
            assertProblem(r, 422, "parameter_invalid");
            assertThat(r.str("field")).isEqualTo("limit");
        }
        assertThat(api.get("/v1/accounts?limit=100").status()).isEqualTo(200);
        assertThat(api.get("/v1/accounts?limit=1").status()).isEqualTo(200);
    }

    @Test
    void healthChecksTheDatabaseWithoutAKey() {
        Res r = server.anonymous().get("/health");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.str("status")).isEqualTo("ok");
    }

    @Test
    void metricsArePrometheusText() {
        api.get("/v1/accounts");
        Res r = server.anonymous().get("/metrics");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("content-type")).startsWith("text/plain");
        assertThat(r.text()).contains("http_server_requests_seconds_count{").contains("route=\"/v1/accounts\"");
    }
}
