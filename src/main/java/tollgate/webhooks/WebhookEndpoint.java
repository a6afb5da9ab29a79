package tollgate.webhooks;

import java.time.Instant;
import java.util.List;

/**
 * Where a tenant wants its events POSTed. {@code secret} is only ever filled in the answer that creates it (creation and
 * {@code roll_secret}); at rest it is sealed. {@code disabled_reason} says why Tollgate disabled it, when it did.
 */
public record WebhookEndpoint(String id, String url, String description, List<String> enabledEvents,
                              String status, String disabledReason, Instant createdAt,
                              String secret) {
    public static final String ENABLED = "enabled";
    public static final String DISABLED = "disabled";

    public WebhookEndpoint(String id, String url, String description, List<String> enabledEvents, String status,
                           String disabledReason, Instant createdAt) {
        this(id, url, description, enabledEvents, status, disabledReason, createdAt, null);
    }

    public WebhookEndpoint withSecret(String secret) {
        return new WebhookEndpoint(id, url, description, enabledEvents, status, disabledReason, createdAt, secret);
    }
}
