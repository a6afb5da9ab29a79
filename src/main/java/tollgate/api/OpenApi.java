package tollgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import tollgate.core.Json;

/**
 * The OpenAPI 3.1 document, assembled from {@code openapi/base.json} and one fragment per capability
 * ({@code paths} and {@code components.schemas}), so that each capability documents its own routes; then
 * {@link OpenApiConventions} adds to every operation the answers and headers that {@link Http} gives them all.
 * Its {@code servers} entry is relative ({@code /}) until {@link #servedFrom} names the server that serves it.
 */
public final class OpenApi {
    private OpenApi() {}

    /** The served document, and the query parameters each operation documents, read from it while it is a tree. */
    public record Assembled(byte[] json, Map<String, java.util.Set<String>> queryParameters) {}

    public static Assembled assemble(List<String> fragments) {
        ObjectNode doc = (ObjectNode) read("base");
        ObjectNode paths = (ObjectNode) doc.get("paths");
        ObjectNode schemas = (ObjectNode) doc.withObjectProperty("components").withObjectProperty("schemas");
        for (String name : fragments) {
            JsonNode fragment = read(name);
            tag(fragment, name, doc);
            mergeInto(paths, fragment.path("paths"), name);
            mergeInto(schemas, fragment.path("components").path("schemas"), name);
        }
        OpenApiConventions.apply(doc);
        sortTags(doc);
        return new Assembled(Json.write(doc).getBytes(java.nio.charset.StandardCharsets.UTF_8), queryParameters(doc));
    }

    /**
     * The query parameters each operation documents, by {@code "GET /v1/plans"} (the method upper-case, the path as
     * written there, which is Javalin's too): {@link Http} refuses any other (decision 094).
     */
    private static Map<String, java.util.Set<String>> queryParameters(JsonNode doc) {
        Map<String, java.util.Set<String>> out = new java.util.HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                java.util.Set<String> names = new java.util.HashSet<>();
                for (JsonNode p : op.getValue().path("parameters")) {
                    JsonNode param = p.has("$ref") ? doc.at(p.get("$ref").asText().substring(1)) : p;
                    if ("query".equals(param.path("in").asText())) names.add(param.path("name").asText());
                }
                out.put(op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey(), java.util.Set.copyOf(names));
            }
        }
        return Map.copyOf(out);
    }

    /** The document as served from {@code origin} (e.g. {@code https://billing.example.com}), which becomes its server. */
    public static byte[] servedFrom(byte[] document, String origin) {
        if (origin == null) return document;
        try {
            ObjectNode doc = (ObjectNode) Json.MAPPER.readTree(document);
            doc.putArray("servers").addObject().put("url", origin);
            return Json.writeUtf8(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes the document that the server serves to a file, for the build's client generator: {@code args[0]} is the
     * folder of fragments ({@code target/classes/openapi}), {@code args[1]} the file. Every fragment there is taken;
     * OpenApiTest checks that the server serves the same document.
     */
    public static void main(String[] args) throws IOException {
        java.nio.file.Path folder = java.nio.file.Path.of(args[0]);
        List<String> fragments;
        try (var files = java.nio.file.Files.list(folder)) {
            fragments = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - ".json".length())).filter(n -> !n.equals("base")).sorted().toList();
        }
        java.nio.file.Path out = java.nio.file.Path.of(args[1]);
        java.nio.file.Files.createDirectories(out.toAbsolutePath().getParent());
        java.nio.file.Files.write(out, assemble(fragments).json());
    }

    /**
     * Each operation is tagged with its capability: the fragment's own {@code tags} entry (a name and a description),
     * else its name ({@code payment_methods} becomes "Payment methods"). Generators make one client class per tag
     * ({@code PaymentMethodsApi}).
     */
    private static void tag(JsonNode fragment, String name, ObjectNode doc) {
        JsonNode own = fragment.path("tags").path(0);
        String tag = own.has("name") ? own.get("name").asText()
                : Character.toUpperCase(name.charAt(0)) + name.substring(1).replace('_', ' ');
        boolean used = false;
        for (JsonNode item : fragment.path("paths")) {
            for (JsonNode op : item) {
                if (op.has("tags")) continue;
                ((ObjectNode) op).putArray("tags").add(tag);
                used = true;
            }
        }
        for (JsonNode t : fragment.path("tags")) doc.withArrayProperty("tags").add(t);
        if (used && !own.has("name")) doc.withArrayProperty("tags").addObject().put("name", tag);
    }

    /** Tags by name, so that the build's document (fragments by file name) and the served one (by capability) are alike. */
    private static void sortTags(ObjectNode doc) {
        List<JsonNode> tags = new java.util.ArrayList<>();
        doc.withArrayProperty("tags").forEach(tags::add);
        tags.sort(java.util.Comparator.comparing(t -> t.path("name").asText()));
        doc.putArray("tags").addAll(tags);
    }

    private static void mergeInto(ObjectNode target, JsonNode source, String fragment) {
        for (Iterator<Map.Entry<String, JsonNode>> it = source.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (target.has(e.getKey()))
                throw new IllegalStateException("openapi/" + fragment + ".json defines '" + e.getKey() + "' again");
            target.set(e.getKey(), e.getValue());
        }
    }

    private static JsonNode read(String name) {
        try (InputStream in = OpenApi.class.getResourceAsStream("/openapi/" + name + ".json")) {
            if (in == null) throw new IllegalStateException("openapi/" + name + ".json is missing from the build");
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
