package tollgate.core;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tenant's own string key/values on a resource, as Stripe's {@code metadata}: at most 50 keys, a key of 1 to 40
 * characters, a value of at most 500. An update merges: a key set to "" is removed, keys not named are kept.
 */
public final class Metadata {
    public static final int MAX_KEYS = 50;
    public static final int MAX_KEY_LENGTH = 40;
    public static final int MAX_VALUE_LENGTH = 500;
    private static final TypeReference<LinkedHashMap<String, String>> MAP = new TypeReference<>() {};

    private Metadata() {}

    /** {@code changes} applied to {@code current}; every mistake is a 422 naming {@code field} or {@code field.key}. */
    public static Map<String, String> merged(Map<String, String> current, Map<String, String> changes, String field) {
        if (changes == null) return current;
        Map<String, String> out = new LinkedHashMap<>(current);
        for (Map.Entry<String, String> e : changes.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || key.indexOf('\u0000') >= 0)
                throw Problem.invalid(field, "metadata_key_invalid",
                        "Metadata keys must have 1 to " + MAX_KEY_LENGTH + " characters: '" + abbreviated(key) + "'");
            if (value.length() > MAX_VALUE_LENGTH)
                throw Problem.invalid(field + "." + key, "metadata_value_too_long",
                        "Metadata values may have at most " + MAX_VALUE_LENGTH + " characters");
            if (value.isEmpty()) out.remove(key);
            else out.put(key, value);
        }
        if (out.size() > MAX_KEYS)
            throw Problem.invalid(field, "metadata_too_many_keys", "Metadata may have at most " + MAX_KEYS + " keys");
        return Collections.unmodifiableMap(out);
    }

    /** A new resource's metadata: the same rules, from nothing. */
    public static Map<String, String> of(Map<String, String> given, String field) {
        return merged(Map.of(), given, field);
    }

    /** As stored: JSON object text, null when empty. */
    public static String stored(Map<String, String> metadata) {
        return metadata == null || metadata.isEmpty() ? null : Json.write(metadata);
    }

    public static Map<String, String> read(String stored) {
        if (stored == null || stored.isEmpty()) return Map.of();
        try {
            return Collections.unmodifiableMap(Json.MAPPER.readValue(stored, MAP));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored metadata is not a JSON object of strings", e);
        }
    }

    private static String abbreviated(String key) {
        return key.length() <= MAX_KEY_LENGTH ? key : key.substring(0, MAX_KEY_LENGTH) + "…";
    }
}
