package tollgate.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import tollgate.core.Json;
import tollgate.core.Problem;

/**
 * A JSON object from a request body, read field by field so that every mistake names its field:
 * unknown fields, wrong types and missing fields are 422s with a stable code.
 */
public final class Body {
    private final JsonNode node;
    private final String path;

    private Body(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /**
     * Bodies are read with duplicate keys refused: {@code {"amount": 1, "amount": 2}} is not an amount to guess at
     * (400 {@code malformed_json}, where the last one used to win).
     */
    private static final com.fasterxml.jackson.databind.ObjectReader READER =
            Json.MAPPER.reader().with(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION);

    /**
     * An empty body reads as {}, and so does a JSON {@code null}: what generated clients send for an optional body they
     * were not given. Anything else but a JSON object is refused.
     */
    public static Body parse(byte[] bytes) {
        if (bytes.length == 0) return new Body(Json.MAPPER.createObjectNode(), "");
        JsonNode node;
        try {
            node = READER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new Problem(400, "malformed_json", "The body is not valid JSON: " + e.getOriginalMessage(), null);
        } catch (java.io.IOException e) {
            throw new Problem(400, "malformed_json", "The body could not be read", null);
        }
        if (node == null || node.isMissingNode() || node.isNull()) return new Body(Json.MAPPER.createObjectNode(), "");
        if (!node.isObject()) throw new Problem(400, "malformed_json", "The body must be a JSON object", null);
        requirePlainText(node, "");
        return new Body(node, "");
    }

    /**
     * Text no field may hold (decision 044): NUL, which PostgreSQL refuses to store (a 500 before this check), and a lone
     * UTF-16 surrogate (written as a {@code \ud800} escape), which is no character at all and cannot be stored as UTF-8.
     */
    public static boolean isPlainText(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) return false;
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) return false;
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static void requirePlainText(JsonNode node, String at) {
        if (node.isTextual() && !isPlainText(node.textValue()))
            throw Problem.invalid(at.isEmpty() ? null : at, "parameter_invalid",
                    "'" + at + "' holds a NUL character or a lone surrogate, which no text may hold");
        if (node.isObject()) {
            for (var fields = node.fields(); fields.hasNext(); ) {
                var f = fields.next();
                if (!isPlainText(f.getKey()))
                    throw Problem.invalid(null, "parameter_invalid", "A field name holds a NUL character or a lone surrogate");
                requirePlainText(f.getValue(), at.isEmpty() ? f.getKey() : at + "." + f.getKey());
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) requirePlainText(node.get(i), at + "[" + i + "]");
        }
    }

    /** Refuses any field not named here. */
    public Body only(String... allowed) {
        Set<String> names = Set.of(allowed);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!names.contains(name))
                throw Problem.invalid(field(name), "unknown_field", "Unknown field '" + field(name) + "'");
        }
        return this;
    }

    public boolean has(String name) {
        JsonNode v = node.get(name);
        return v != null && !v.isNull();
    }

    /** Whether the field is given as JSON null, which the {@code opt…} readers cannot tell from absent. */
    public boolean isNull(String name) {
        JsonNode v = node.get(name);
        return v != null && v.isNull();
    }

    public String string(String name) {
        String v = optString(name);
        if (v == null) throw Problem.missing(field(name));
        return v;
    }

    public String optString(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw wrongType(name, "a string");
        String text = v.asText();
        // PostgreSQL cannot store NUL in text; refuse it here rather than fail in the database.
        if (text.indexOf('\u0000') >= 0)
            throw Problem.invalid(field(name), "parameter_invalid", "'" + field(name) + "' must not contain NUL characters");
        return text;
    }

    public Long optLong(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) return null;
        if (!v.isIntegralNumber() || !v.canConvertToLong()) throw wrongType(name, "an integer");
        return v.asLong();
    }

    /**
     * A JSON number as written: {@code 12.5} is exactly 12.5, not the double nearest it. A number too large for a
     * double ({@code 1e400}) is refused as out of range; the caller's rules bound the rest.
     */
    public java.math.BigDecimal optDecimal(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) return null;
        if (!v.isNumber()) throw wrongType(name, "a number");
        if (v.isIntegralNumber()) return new java.math.BigDecimal(v.bigIntegerValue());
        if (v.isBigDecimal()) return v.decimalValue();
        if (!Double.isFinite(v.doubleValue()))
            throw Problem.invalid(field(name), "parameter_invalid", "'" + field(name) + "' is out of range");
        return new java.math.BigDecimal(Double.toString(v.doubleValue()));
    }

    public Integer optInt(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) return null;
        if (!v.isIntegralNumber() || !v.canConvertToInt()) throw wrongType(name, "an integer");
        return v.asInt();
    }

    public Boolean optBoolean(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) return null;
        if (!v.isBoolean()) throw wrongType(name, "true or false");
        return v.asBoolean();
    }

    /** Whether the field is given as a JSON object (a field that takes an id or the object it would name). */
    public boolean isObject(String name) {
        JsonNode v = node.get(name);
        return v != null && v.isObject();
    }

    /** A nested object, or null when absent. */
    public Body optObject(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) return null;
        if (!v.isObject()) throw wrongType(name, "an object");
        return new Body(v, field(name) + ".");
    }

    /** An array of objects, or null when absent; element {@code i} names its fields {@code name[i].field}. */
    public List<Body> optObjects(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) return null;
        if (!v.isArray()) throw wrongType(name, "an array of objects");
        List<Body> items = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            String at = field(name) + "[" + i + "]";
            if (!v.get(i).isObject()) throw Problem.invalid(at, "invalid_type", "'" + at + "' must be an object");
            items.add(new Body(v.get(i), at + "."));
        }
        return items;
    }

    /**
     * {@code metadata}: an object of string values (null when absent), in the order given. Anything but a string as a
     * value is refused, naming {@code metadata.key}; the rules on sizes are {@link tollgate.core.Metadata}'s.
     */
    public java.util.Map<String, String> optMetadata(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) return null;
        if (!v.isObject()) throw wrongType(name, "an object of string values");
        if (v.size() > 10 * tollgate.core.Metadata.MAX_KEYS)
            throw Problem.invalid(field(name), "metadata_too_many_keys", "Metadata may have at most " + tollgate.core.Metadata.MAX_KEYS + " keys");
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        for (Iterator<java.util.Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            java.util.Map.Entry<String, JsonNode> e = it.next();
            String at = field(name) + "." + e.getKey();
            if (!e.getValue().isTextual()) throw Problem.invalid(at, "invalid_type", "'" + at + "' must be a string (\"\" removes it)");
            if (e.getValue().asText().indexOf('\u0000') >= 0)
                throw Problem.invalid(at, "parameter_invalid", "'" + at + "' must not contain NUL characters");
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    /** An array of strings, or null when absent; element {@code i} is named {@code name[i]}. */
    public List<String> optStrings(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) return null;
        if (!v.isArray()) throw wrongType(name, "an array of strings");
        List<String> items = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            String at = field(name) + "[" + i + "]";
            if (!v.get(i).isTextual()) throw Problem.invalid(at, "invalid_type", "'" + at + "' must be a string");
            items.add(v.get(i).asText());
        }
        return items;
    }

    private Problem wrongType(String name, String expected) {
        return Problem.invalid(field(name), "invalid_type", "'" + field(name) + "' must be " + expected);
    }

    private String field(String name) {
        return path + name;
    }
}
