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
 * ({@code paths} and {@code components.schemas}), so that each capability documents its own routes.
 */
public final class OpenApi {
    private OpenApi() {}

    public static byte[] assemble(List<String> fragments) {
        ObjectNode doc = (ObjectNode) read("base");
        ObjectNode paths = (ObjectNode) doc.get("paths");
        ObjectNode schemas = (ObjectNode) doc.with("components").with("schemas");
        for (String name : fragments) {
            JsonNode fragment = read(name);
            mergeInto(paths, fragment.path("paths"), name);
            mergeInto(schemas, fragment.path("components").path("schemas"), name);
        }
        return Json.write(doc).getBytes(java.nio.charset.StandardCharsets.UTF_8);
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
