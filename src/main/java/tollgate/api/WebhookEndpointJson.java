package tollgate.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import tollgate.webhooks.WebhookEndpoint;

/** A webhook endpoint as the API shows it (openapi fragment {@code webhooks}): {@code secret} only when it is made. */
public record WebhookEndpointJson(String id, String object, String url, String description, List<String> enabledEvents,
                                  String status, String disabledReason, Instant createdAt,
                                  @JsonInclude(JsonInclude.Include.NON_NULL) String secret) {
    static WebhookEndpointJson of(WebhookEndpoint e) {
        return new WebhookEndpointJson(e.id(), "webhook_endpoint", e.url(), e.description(), e.enabledEvents(), e.status(),
                e.disabledReason(), e.createdAt(), e.secret());
    }
}
