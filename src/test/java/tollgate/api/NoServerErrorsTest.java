package tollgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tollgate.core.Json;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.Fixtures;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * "No input yields a 500": every documented POST and GET, with path ids that exist, do not exist or belong to the
 * tenant, gets bodies and query values of the wrong shape (each documented field with wrong types, huge and
 * negative numbers, long strings, nulls). Every answer must be below 500. Randomised; the seed is printed.
 */
class NoServerErrorsTest {
    private static final Object[] ODD_VALUES = {
            123, -1, 0, 1e30, 9223372036854775807L, "x", "", "x".repeat(5000), true, null,
            Map.of("a", 1), List.of(1, "two"), List.of(), "2026-13-45T99:99:99Z", "+100000-01-01T00:00:00Z", "-5", "NaN"};

    @Test
    void oddInputOnEveryRouteIsNeverAServerError() throws Exception {
        long seed = Long.getLong("tollgate.seed", System.nanoTime());
        System.out.println("NoServerErrorsTest seed: " + seed + " (rerun with -Dtollgate.seed=" + seed + ")");
        Random random = new Random(seed);
        TestServer server = TestServer.on(TestDatabase.H2);
        ApiClient api = server.newTenant();
        String account = Fixtures.payingAccount(api, "Fuzzed", "usd");
        String plan = Fixtures.licensePlan(api, "usd", 900);
        String license = Fixtures.issueOne(api, account, plan);
        List<String> ids = List.of(account, plan, license, "acct_nope", "x".repeat(300), "%20", "lic_" + "9".repeat(30));

        JsonNode doc = Json.MAPPER.readTree(server.app.openApi());
        List<String> failures = new ArrayList<>();
        java.util.Set<Integer> statuses = new java.util.TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                for (int round = 0; round < 12; round++) {
                    String url = path.getKey().replaceAll("\\{[a-z_]+}", java.net.URLEncoder.encode(
                            ids.get(random.nextInt(ids.size())), java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
                    Res r;
                    if (op.getKey().equals("post")) {
                        String body = oddBody(op.getValue(), doc, random);
                        r = api.post(url, body);
                        statuses.add(r.status());
                        if (r.status() >= 500) failures.add("POST " + url + " " + body.substring(0, Math.min(300, body.length())) + " -> " + r);
                    } else if (op.getKey().equals("get")) {
                        String query = "?limit=" + odd(random) + "&status=" + odd(random) + "&starting_after=" + odd(random)
                                + "&key=" + odd(random) + "&site_url=" + odd(random) + "&type=" + odd(random) + "&account=" + odd(random);
                        r = api.get(url + query.replace(" ", "%20"));
                        statuses.add(r.status());
                        if (r.status() >= 500) failures.add("GET " + url + query + " -> " + r);
                    } else if (op.getKey().equals("delete")) {
                        r = api.delete(url);
                        if (r.status() >= 500) failures.add("DELETE " + url + " -> " + r);
                    }
                }
            }
        }
        assertThat(failures).as("seed " + seed).isEmpty();
        // The odd input reached the handlers: answers range from successes to the handlers' own refusals.
        assertThat(statuses).as("seed " + seed).contains(200, 400, 404, 422);
    }

    private static String odd(Random random) {
        Object v = ODD_VALUES[random.nextInt(ODD_VALUES.length)];
        String s = v == null ? "" : String.valueOf(v);
        return java.net.URLEncoder.encode(s.length() > 200 ? s.substring(0, 200) : s, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A body built from the operation's documented fields, each given an odd value, plus sometimes an unknown one. */
    private static String oddBody(JsonNode op, JsonNode doc, Random random) {
        JsonNode schema = op.path("requestBody").path("content").path("application/json").path("schema");
        if (schema.has("$ref")) schema = doc.at(schema.get("$ref").asText().substring(1));
        List<String> fields = new ArrayList<>();
        schema.path("properties").fieldNames().forEachRemaining(fields::add);
        int shape = random.nextInt(10);
        if (shape == 0) return "[]";
        if (shape == 1) return "null";
        if (shape == 2) return "\"text\"";
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        for (String f : fields) if (random.nextInt(3) > 0) body.put(f, ODD_VALUES[random.nextInt(ODD_VALUES.length)]);
        if (random.nextInt(5) == 0) body.put("unexpected", 1);
        if (random.nextInt(4) == 0 && !fields.isEmpty()) body.put(fields.get(0), Map.of("nested", List.of(Map.of())));
        return Json.write(body);
    }
}
