package tollgate.tenants;

import java.time.Instant;

/**
 * One secret key of a tenant, as the API shows it ({@code tollgate.api.TenantJson.ApiKeyJson}): never the key itself, only its mode prefix and last four
 * characters, except {@code secret} in the answer that creates it (the one time it is seen in clear).
 * {@code last_used_at} is real time, kept to the minute.
 */
public record ApiKey(String id, String name, String prefix, String last4, Instant createdAt, Instant lastUsedAt,
                     String secret) {
    public ApiKey(String id, String name, String prefix, String last4, Instant createdAt, Instant lastUsedAt) {
        this(id, name, prefix, last4, createdAt, lastUsedAt, null);
    }

    ApiKey withSecret(String key) {
        return new ApiKey(id, name, prefix, last4, createdAt, lastUsedAt, key);
    }
}
