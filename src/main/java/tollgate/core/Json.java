package tollgate.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The one JSON configuration: snake_case, RFC 3339 instants, nulls written out. */
public final class Json {
    // Jackson's default buffer pool is per thread, which virtual threads (one per request) never reuse.
    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .recyclerPool(JsonRecyclerPools.sharedLockFreePool()).build())
            .addModule(new JavaTimeModule())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .serializationInclusion(JsonInclude.Include.ALWAYS)
            .build();

    private Json() {}

    /** The same JSON as {@link #write}, as UTF-8 bytes. */
    public static byte[] writeUtf8(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("Cannot write JSON", e);
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("Cannot write JSON", e);
        }
    }

    private static final ObjectMapper SORTED = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .build();

    /**
     * The JSON written again with every object's keys sorted and no spacing, numbers with their digits (1.0 and 1
     * stay apart); null when it is not one JSON value without duplicate keys. Idempotency compares requests by it.
     */
    public static byte[] sortedKeys(byte[] json) {
        try {
            return SORTED.writeValueAsBytes(SORTED.readValue(json, Object.class));
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /**
     * A stored JSON value (a store's JSON column) read as {@code type}; {@code unreadable} is the message when it is
     * not JSON of that shape. Stores read their columns through these, so only this kernel knows the JSON library.
     */
    public static <T> T read(String json, Class<T> type, String unreadable) {
        try {
            return MAPPER.readValue(json, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(unreadable, e);
        }
    }

    /** A stored JSON array read as a list of {@code element}. */
    public static <T> java.util.List<T> readList(String json, Class<T> element, String unreadable) {
        try {
            return MAPPER.readValue(json, MAPPER.getTypeFactory().constructCollectionType(java.util.List.class, element));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(unreadable, e);
        }
    }

    /** A stored JSON object read as a map of its fields, in their order. */
    public static java.util.Map<String, Object> readMap(String json, String unreadable) {
        try {
            return MAPPER.readValue(json, MAPPER.getTypeFactory().constructMapType(java.util.LinkedHashMap.class, String.class, Object.class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(unreadable, e);
        }
    }
}
