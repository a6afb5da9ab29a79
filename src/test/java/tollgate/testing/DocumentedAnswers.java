package tollgate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tollgate.core.Json;

/**
 * Holds every answer the tests receive to what the served OpenAPI document says of it: its status is one the operation
 * documents, and a JSON body fits the schema of that status (types, {@code required} fields, no undocumented field where
 * the schema lists its properties). So the document is checked against what the server really answers, by every test,
 * and a field added to an answer but not to the document (or documented as required but sometimes left out) fails the
 * test that met it. Requests to paths the document does not have (404 route_not_found tests) are not checked.
 * {@code -Dtollgate.test.documented.record=FILE} lists the departures of a whole run in FILE instead of failing.
 */
public final class DocumentedAnswers {
    private static final Map<String, JsonNode> DOCUMENTS = new ConcurrentHashMap<>();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** -Dtollgate.test.documented.record=FILE: write the departures to FILE instead of failing (to survey them all). */
    private static final String RECORD = System.getProperty("tollgate.test.documented.record");

    private static final java.util.Set<String> JETTY_CODES = java.util.Set.of("request_malformed", "uri_too_long", "headers_too_large");

    private DocumentedAnswers() {}

    private static synchronized void record(String line) {
        try {
            java.nio.file.Files.writeString(java.nio.file.Path.of(RECORD), line + System.lineSeparator(),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Throws an AssertionError naming each way the answer departs from the document. */
    public static void check(String baseUrl, String method, URI uri, ApiClient.Res res) {
        JsonNode doc = DOCUMENTS.computeIfAbsent(baseUrl, DocumentedAnswers::fetch);
        List<String> problems = problems(doc, method.toLowerCase(java.util.Locale.ROOT), uri.getRawPath(), res.status(),
                res.header("content-type"), res.json());
        if (problems.isEmpty()) return;
        if (RECORD != null) {
            record(method + " " + uri.getPath() + " " + res.status() + ": " + String.join(" | ", problems));
            return;
        }
        throw new AssertionError("The answer to " + method + " " + uri.getPath() + " (" + res.status()
                    + ") is not what the OpenAPI document says:\n  " + String.join("\n  ", problems) + "\nanswer: " + res.text());
    }

    /** What is wrong with an answer: empty when the document describes it. */
    public static List<String> problems(JsonNode doc, String method, String path, int status, String contentType, JsonNode body) {
        JsonNode op = operation(doc, method, path);
        List<String> problems = new ArrayList<>();
        // Jetty's own refusals before any route runs (414 for a request line over 8 KiB, 400 for a path such as
        // /v1/accounts/%00, 431) are not any operation's answer: problem JSON with codes of their own (tollgate.api.JettyErrors).
        boolean transport = status >= 400 && (contentType == null || !contentType.startsWith("application/problem+json")
                || body != null && JETTY_CODES.contains(body.path("code").asText()));
        if (op == null || status == 414 || transport) return problems;
        JsonNode response = op.path("responses").get(Integer.toString(status));
        if (response == null) response = op.path("responses").get("default");
        if (response == null) {
            problems.add("status " + status + " is not documented for " + method.toUpperCase(java.util.Locale.ROOT) + " " + path);
            return problems;
        }
        response = resolve(doc, response);
        if (body == null || contentType == null) return problems;
        String type = contentType.split(";")[0].strip();
        JsonNode media = response.path("content").get(type);
        if (media == null) {
            problems.add("content type " + type + " is not documented for status " + status);
            return problems;
        }
        validate(doc, body, media.path("schema"), "$", problems);
        return problems;
    }

    /** The operation whose path template matches, literal segments preferred over parameters. */
    /**
     * The operation of the path the server routes {@code path} to: the template with the most fixed segments that matches,
     * whatever its methods; null when that path has no {@code method} (the server answers 405 then, decision 090:
     * GET /v1/licenses/activate is not GET /v1/licenses/{id}).
     */
    private static JsonNode operation(JsonNode doc, String method, String path) {
        String[] segments = path.split("/", -1);
        JsonNode best = null;
        int bestLiterals = -1;
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String[] template = e.getKey().split("/", -1);
            if (template.length != segments.length) continue;
            int literals = 0;
            boolean matches = true;
            for (int i = 0; i < template.length && matches; i++) {
                if (template[i].startsWith("{")) {
                    matches = !segments[i].isEmpty();
                    continue;
                }
                matches = template[i].equals(segments[i]);
                literals++;
            }
            if (matches && literals > bestLiterals) {
                best = e.getValue();
                bestLiterals = literals;
            }
        }
        return best == null ? null : best.get(method);
    }

    private static void validate(JsonNode doc, JsonNode value, JsonNode schema, String at, List<String> problems) {
        if (schema.has("$ref")) {
            validate(doc, value, resolve(doc, schema), at, problems);
            return;
        }
        if (schema.has("const") && !schema.get("const").equals(value)) {
            problems.add(at + " is " + value + ", documented as always " + schema.get("const"));
            return;
        }
        if (schema.has("enum") && !contains(schema.get("enum"), value)) {
            problems.add(at + " is " + value + ", not one of " + schema.get("enum"));
            return;
        }
        if (schema.has("type") && !typeFits(schema.get("type"), value)) {
            problems.add(at + " is " + kind(value) + " (" + abbreviate(value) + "), documented as " + schema.get("type"));
            return;
        }
        for (JsonNode part : schema.path("allOf")) validate(doc, value, part, at, problems);
        for (String alternatives : List.of("oneOf", "anyOf")) {
            if (!schema.has(alternatives)) continue;
            boolean any = false;
            for (JsonNode part : schema.get(alternatives)) {
                List<String> trial = new ArrayList<>();
                validate(doc, value, part, at, trial);
                any |= trial.isEmpty();
            }
            if (!any) problems.add(at + " fits none of the " + alternatives + " schemas");
        }
        if (value.isObject()) object(doc, value, schema, at, problems);
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) validate(doc, value.get(i), schema.get("items"), at + "[" + i + "]", problems);
        }
    }

    private static void object(JsonNode doc, JsonNode value, JsonNode schema, String at, List<String> problems) {
        for (JsonNode required : schema.path("required")) {
            if (!value.has(required.asText())) problems.add(at + "." + required.asText() + " is documented as required but missing");
        }
        JsonNode properties = schema.get("properties");
        if (properties == null) return;
        JsonNode additional = schema.get("additionalProperties");
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode property = properties.get(field.getKey());
            if (property != null) validate(doc, field.getValue(), property, at + "." + field.getKey(), problems);
            else if (additional != null && additional.isObject()) validate(doc, field.getValue(), additional, at + "." + field.getKey(), problems);
            else if (additional == null || additional.isBoolean() && !additional.asBoolean())
                problems.add(at + "." + field.getKey() + " is answered but not documented");
        }
    }

    private static boolean typeFits(JsonNode type, JsonNode value) {
        if (type.isArray()) {
            for (JsonNode t : type) if (typeFits(t, value)) return true;
            return false;
        }
        return switch (type.asText()) {
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "null" -> value.isNull();
            default -> false;
        };
    }

    private static boolean contains(JsonNode list, JsonNode value) {
        for (JsonNode v : list) if (v.equals(value)) return true;
        return false;
    }

    private static String kind(JsonNode v) {
        return v.isNull() ? "null" : v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String abbreviate(JsonNode v) {
        String s = v.toString();
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }

    private static JsonNode resolve(JsonNode doc, JsonNode node) {
        while (node.has("$ref")) {
            String ref = node.get("$ref").asText();
            if (!ref.startsWith("#/")) throw new AssertionError("only local references are supported: " + ref);
            JsonNode target = doc.at(ref.substring(1));
            if (target.isMissingNode()) throw new AssertionError("the document refers to " + ref + ", which it does not have");
            node = target;
        }
        return node;
    }

    private static JsonNode fetch(String baseUrl) {
        try {
            HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/openapi.json")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return Json.MAPPER.readTree(r.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
