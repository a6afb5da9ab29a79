package tollgate.tenants;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One secret key of a tenant as the API shows it: never the key itself, only its mode prefix and last four
 * characters, except {@code secret} in the answer that creates it (the one time it is seen in clear).
 * {@code last_used_at} is real time, kept to the minute.
 */
public record ApiKey(String id, String object, String name, String prefix, String last4, Instant createdAt, Instant lastUsedAt,
                     @JsonInclude(JsonInclude.Include.NON_NULL) String secret) {
    public ApiKey(String id, String name, String prefix, String last4, Instant createdAt, Instant lastUsedAt) {
        this(id, "api_key", name, prefix, last4, createdAt, lastUsedAt, null);
    }

    ApiKey withSecret(String key) {
        return new ApiKey(id, object, name, prefix, last4, createdAt, lastUsedAt, key);
    }
}
