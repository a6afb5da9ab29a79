package tollgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import tollgate.core.Json;

/**
 * What {@link Http} answers for every route, written into each operation of the assembled document so that no fragment
 * has to repeat it (and none can forget it): 401 with {@code WWW-Authenticate} where a key is needed, 400/413/415/422 where
 * a body is read, 409 and {@code Idempotency-Key} on POSTs with a key, 503 everywhere ({@code overloaded}, {@code database_unavailable},
 * {@code shutting_down}; {@code lock_timeout} on writes), 404 where the
 * path names an object or a list takes {@code starting_after}, 422 where a list takes {@code limit} and wherever a key is needed
 * (an undocumented query parameter, decision 094), and the {@code Request-Id} (and, on a replay,
 * {@code Idempotent-Replayed}) header on every answer. A fragment's own error answers stay; a fragment that refers to
 * {@code #/components/responses/Problem} gets the shared answer for that status.
 */
final class OpenApiConventions {
    private static final String RESPONSES = "#/components/responses/";
    private static final Map<String, String> SHARED = Map.ofEntries(
            Map.entry("400", "BadRequest"), Map.entry("401", "Unauthorized"), Map.entry("402", "PaymentRequired"),
            Map.entry("403", "Forbidden"), Map.entry("404", "NotFound"), Map.entry("409", "Conflict"),
            Map.entry("413", "ContentTooLarge"), Map.entry("415", "UnsupportedMediaType"),
            Map.entry("422", "UnprocessableContent"), Map.entry("429", "TooManyRequests"),
            Map.entry("503", "ServiceUnavailable"));

    private OpenApiConventions() {}

    static void apply(ObjectNode doc) {
        doc.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            String where = op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey();
            apply(path.getKey(), op.getKey(), (ObjectNode) op.getValue(), where);
        }));
    }

    private static void apply(String path, String method, ObjectNode op, String where) {
        boolean open = op.has("security") && op.get("security").isEmpty();
        boolean post = method.equals("post");
        boolean write = post || method.equals("delete");
        ObjectNode responses = op.withObjectProperty("responses");
        responses.fields().forEachRemaining(e -> {
            JsonNode ref = e.getValue().get("$ref");
            if (ref != null && ref.asText().equals(RESPONSES + "Problem")) {
                String shared = SHARED.get(e.getKey());
                if (shared == null) throw new IllegalStateException(where + ": no shared answer for " + e.getKey() + "; describe it inline");
                e.setValue(reference(shared));
            }
        });
        if (!open) add(responses, "401");
        // 404 where the path names an object, and on lists paged by starting_after (an id not of the list, decision 020).
        if (path.contains("{") || refers(op.path("parameters"), "StartingAfter")) add(responses, "404");
        if (write) {
            add(responses, "413");
            add(responses, "415");
        }
        if (post) {
            add(responses, "400");
            add(responses, "422");
        }
        if (refers(op.path("parameters"), "Limit")) add(responses, "422");
        // A tenant's route refuses a query parameter it does not list: 422 unknown_parameter (decision 094).
        if (!open) add(responses, "422");
        add(responses, "503"); // any request may meet a busy or stopping server, or the database away (decision 061)
        if (post && !open) {
            add(responses, "409");
            if (!refers(op.path("parameters"), "IdempotencyKey"))
                op.withArrayProperty("parameters").addObject().put("$ref", "#/components/parameters/IdempotencyKey");
        }
        responses.fields().forEachRemaining(e -> {
            if (!e.getKey().startsWith("2") || e.getValue().has("$ref")) return;
            ObjectNode headers = ((ObjectNode) e.getValue()).withObjectProperty("headers");
            headers.set("Request-Id", ref("#/components/headers/RequestId"));
            if (post && !open) headers.set("Idempotent-Replayed", ref("#/components/headers/IdempotentReplayed"));
        });
        sortByStatus(op, responses);
    }

    private static void add(ObjectNode responses, String status) {
        if (!responses.has(status)) responses.set(status, reference(SHARED.get(status)));
    }

    private static ObjectNode reference(String sharedResponse) {
        return ref(RESPONSES + sharedResponse);
    }

    private static ObjectNode ref(String to) {
        return Json.MAPPER.createObjectNode().put("$ref", to);
    }

    private static boolean refers(JsonNode parameters, String name) {
        if (!(parameters instanceof ArrayNode list)) return false;
        for (JsonNode p : list) if (p.path("$ref").asText().equals("#/components/parameters/" + name)) return true;
        return false;
    }

    /** Answers in the order of their status, as a reader looks for them. */
    private static void sortByStatus(ObjectNode op, ObjectNode responses) {
        TreeMap<String, JsonNode> sorted = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = responses.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            sorted.put(e.getKey(), e.getValue());
        }
        ObjectNode ordered = Json.MAPPER.createObjectNode();
        sorted.forEach(ordered::set);
        op.set("responses", ordered);
    }
}
