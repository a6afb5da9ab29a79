package tollgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import tollgate.core.Json;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * The OpenAPI document and the router must name the same routes, and every operation must be one a client generator can
 * trust: an operationId, a typed answer whose objects say which fields are always there, and the error answers that
 * every route shares. A route added later without them fails here (docs/decisions/025-openapi.md); what the server
 * really answers is held to the document by every test (tollgate.testing.DocumentedAnswers).
 */
class OpenApiTest {
    private static final java.util.regex.Pattern LOWER_CAMEL = java.util.regex.Pattern.compile("[a-z][a-zA-Z0-9]*");

    private static JsonNode document() throws Exception {
        return Json.MAPPER.readTree(TestServer.on(TestDatabase.H2).app.openApi());
    }

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedRouteExists() throws Exception {
        TestServer server = TestServer.on(TestDatabase.H2);
        JsonNode doc = document();
        assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");

        Set<String> routed = new HashSet<>();
        for (Route r : server.app.routes) routed.add(r.method().lower() + " " + r.path());
        Set<String> documented = new HashSet<>();
        eachOperation(doc, (where, op) -> documented.add(where.split(" ")[0].toLowerCase(java.util.Locale.ROOT) + " " + where.split(" ")[1]));
        assertThat(documented).as("documented but not routed").isSubsetOf(routed);
        assertThat(routed).as("routed but not documented").isSubsetOf(documented);
    }

    @Test
    void theServedDocumentNamesTheServerThatServesIt() throws Exception {
        TestServer server = TestServer.on(TestDatabase.H2);
        Res served = server.anonymous().get("/v1/openapi.json");
        assertThat(served.status()).isEqualTo(200);
        assertThat(served.json().get("servers").get(0).get("url").asText()).isEqualTo(server.baseUrl);
        ObjectNode withoutServers = ((ObjectNode) served.json()).deepCopy();
        withoutServers.remove("servers");
        ObjectNode assembled = (ObjectNode) document();
        assertThat(assembled.get("servers").get(0).get("url").asText()).as("relative until served").isEqualTo("/");
        assembled.remove("servers");
        assertThat(withoutServers).isEqualTo(assembled);

        // Forwarded headers from a caller that is not a trusted proxy name nothing (TOLLGATE_TRUSTED_PROXIES is unset here).
        Res forged = server.anonymous().send(server.anonymous().request("/v1/openapi.json")
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "evil.example"));
        assertThat(forged.json().get("servers").get(0).get("url").asText()).isEqualTo(server.baseUrl);
    }

    /** Behind a trusted proxy, the document names the address the proxy was asked at. */
    @Test
    void behindATrustedProxyTheDocumentNamesTheProxysAddress() {
        try (TestServer.Client proxied = TestServer.start(TestDatabase.H2,
                c -> c.withNetwork(new tollgate.Config.Network("127.0.0.1", "127.0.0.1")))) {
            Res served = proxied.anonymous().send(proxied.anonymous().request("/v1/openapi.json")
                    .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "billing.example.com"));
            assertThat(served.json().get("servers").get(0).get("url").asText()).isEqualTo("https://billing.example.com");
        }
    }

    /** The build generates the Java client from target/openapi/tollgate.json: it must be the document the server serves. */
    @Test
    void theBuildsDocumentIsTheServedOne() throws Exception {
        Path built = Path.of("target/openapi/tollgate.json");
        assertThat(built).as("written by the build (exec-maven-plugin, process-classes)").exists();
        assertThat(Json.MAPPER.readTree(Files.readAllBytes(built))).isEqualTo(document());
    }

    /** A fragment that still refers to the generic List schema (gone: lists are named, e.g. InvoiceList) fails here. */
    @Test
    void noFragmentSaysTheSameKeyTwiceInOneObject() throws Exception {
        // A JSON reader keeps the last of two keys: LicenseCertificate's first "required" list (with "id") was lost so.
        com.fasterxml.jackson.databind.ObjectMapper strict = new com.fasterxml.jackson.databind.ObjectMapper()
                .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        List<String> twice = new ArrayList<>();
        try (var files = Files.list(Path.of("src/main/resources/openapi"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                try {
                    strict.readTree(f.toFile());
                } catch (com.fasterxml.jackson.core.JsonParseException e) {
                    twice.add(f.getFileName() + ": " + e.getOriginalMessage());
                }
            }
        }
        assertThat(twice).isEmpty();
    }

    @Test
    void everyReferenceResolves() throws Exception {
        JsonNode doc = document();
        List<String> dangling = new ArrayList<>();
        doc.findValues("$ref").forEach(ref -> {
            if (doc.at(ref.asText().substring(1)).isMissingNode()) dangling.add(ref.asText());
        });
        assertThat(dangling).isEmpty();
    }

    @Test
    void everyOperationHasAUniqueLowerCamelCaseOperationIdAndASummary() throws Exception {
        Set<String> seen = new HashSet<>();
        List<String> wrong = new ArrayList<>();
        eachOperation(document(), (where, op) -> {
            String id = op.path("operationId").asText("");
            if (!LOWER_CAMEL.matcher(id).matches()) wrong.add(where + ": operationId '" + id + "' is missing or not lowerCamelCase");
            else if (!seen.add(id)) wrong.add(where + ": operationId '" + id + "' is used twice");
            if (!op.has("summary")) wrong.add(where + ": no summary");
            if (op.path("tags").size() != 1) wrong.add(where + ": not one tag");
        });
        document().path("tags").forEach(t -> {
            if (!t.has("description")) wrong.add("tag " + t.path("name") + ": no description (give the fragment a tags entry)");
        });
        assertThat(wrong).isEmpty();
    }

    @Test
    void everyOperationAnswersATypedSchemaWhoseObjectsSayWhatIsRequired() throws Exception {
        JsonNode doc = document();
        List<String> wrong = new ArrayList<>();
        eachOperation(doc, (where, op) -> {
            List<Map.Entry<String, JsonNode>> ok = new ArrayList<>();
            op.path("responses").fields().forEachRemaining(e -> { if (e.getKey().startsWith("2")) ok.add(e); });
            if (ok.isEmpty()) wrong.add(where + ": no 2xx answer");
            for (Map.Entry<String, JsonNode> answer : ok) {
                JsonNode content = answer.getValue().path("content");
                if (content.isEmpty() && !answer.getKey().equals("204")) wrong.add(where + " " + answer.getKey() + ": no content");
                content.fields().forEachRemaining(media -> {
                    String at = where + " " + answer.getKey() + " " + media.getKey();
                    JsonNode schema = media.getValue().path("schema");
                    if (media.getKey().contains("json")) {
                        JsonNode top = resolve(doc, schema);
                        if (!top.has("properties")) wrong.add(at + ": the answer is not an object schema with properties");
                        typed(doc, schema, at, new HashSet<>(), wrong);
                    } else if (!schema.has("type")) wrong.add(at + ": no schema type");
                });
            }
        });
        assertThat(wrong).isEmpty();
    }

    @Test
    void everyOperationDocumentsTheAnswersEveryRouteGives() throws Exception {
        List<String> wrong = new ArrayList<>();
        eachOperation(document(), (where, op) -> {
            JsonNode responses = op.path("responses");
            boolean open = op.has("security") && op.get("security").isEmpty();
            boolean post = where.startsWith("POST");
            List<String> expected = new ArrayList<>();
            if (!open) expected.add("401");
            if (where.contains("{")) expected.add("404");
            if (post) expected.addAll(List.of("400", "413", "415", "422"));
            if (post && !open) expected.addAll(List.of("409", "503"));
            for (String status : expected) if (!responses.has(status)) wrong.add(where + ": no " + status);
            responses.fields().forEachRemaining(e -> {
                if (!e.getValue().has("$ref") && !e.getValue().path("headers").has("Request-Id"))
                    wrong.add(where + " " + e.getKey() + ": no Request-Id header");
            });
            if (post && !open && !op.toString().contains("#/components/parameters/IdempotencyKey"))
                wrong.add(where + ": no Idempotency-Key parameter");
        });
        assertThat(wrong).isEmpty();
    }

    /**
     * Generators make a Java {@code Integer} of an integer without a format: amounts (long minor units) and quantities
     * must say int64. A const or an enum without a type becomes an {@code Object}: they must say their type.
     */
    @Test
    void amountsAreSixtyFourBitAndConstantsSayTheirType() throws Exception {
        List<String> wrong = new ArrayList<>();
        walk(document(), "$", null, wrong);
        assertThat(wrong).isEmpty();
    }

    private static final java.util.regex.Pattern AMOUNT =
            java.util.regex.Pattern.compile(".*(amount|total|subtotal|tax|discount|paid|credited|due|balance|quantity|up_to)$");

    private static void walk(JsonNode node, String at, String property, List<String> wrong) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) walk(node.get(i), at + "[" + i + "]", property, wrong);
            return;
        }
        if (!node.isObject()) return;
        if ((node.has("const") || node.has("enum")) && !node.has("type")) wrong.add(at + ": a const or enum without a type");
        if (property != null && AMOUNT.matcher(property).matches() && node.path("type").toString().contains("integer")
                && !node.path("format").asText().equals("int64"))
            wrong.add(at + ": an amount or quantity without format int64");
        node.fields().forEachRemaining(e -> {
            if (e.getKey().equals("properties"))
                e.getValue().fields().forEachRemaining(p -> walk(p.getValue(), at + ".properties." + p.getKey(), p.getKey(), wrong));
            else if (!List.of("enum", "const", "examples", "default", "required").contains(e.getKey()))
                walk(e.getValue(), at + "." + e.getKey(), List.of("items", "oneOf", "anyOf", "allOf").contains(e.getKey()) ? property : null, wrong);
        });
    }

    /** Every object below {@code schema} lists its properties and which of them are required; every array types its items. */
    private static void typed(JsonNode doc, JsonNode schema, String at, Set<String> visited, List<String> wrong) {
        if (schema.has("$ref")) {
            if (visited.add(schema.get("$ref").asText())) typed(doc, resolve(doc, schema), schema.get("$ref").asText(), visited, wrong);
            return;
        }
        if (schema.has("properties")) {
            if (!schema.has("required")) wrong.add(at + ": an object without 'required'");
            schema.get("properties").fields().forEachRemaining(p -> typed(doc, p.getValue(), at + "." + p.getKey(), visited, wrong));
        }
        if (schema.path("type").asText().equals("array") || schema.has("items")) {
            JsonNode items = schema.path("items");
            if (!items.has("$ref") && !items.has("type") && !items.has("oneOf") && !items.has("const") && !items.has("enum"))
                wrong.add(at + ": an array whose items have no type");
            typed(doc, items, at + "[]", visited, wrong);
        }
        for (String alternatives : List.of("oneOf", "anyOf", "allOf"))
            for (JsonNode part : schema.path(alternatives)) typed(doc, part, at, visited, wrong);
    }

    private static JsonNode resolve(JsonNode doc, JsonNode node) {
        while (node.has("$ref")) node = doc.at(node.get("$ref").asText().substring(1));
        return node;
    }

    private static void eachOperation(JsonNode doc, BiConsumer<String, JsonNode> check) {
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fields().forEachRemaining(op ->
                    check.accept(op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey(), op.getValue()));
        }
    }
}
