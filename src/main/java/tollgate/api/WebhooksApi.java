package tollgate.api;

import java.time.Duration;
import java.util.List;
import tollgate.core.Problem;
import tollgate.webhooks.EndpointRules;
import tollgate.webhooks.WebhookEndpoints;

/** {@code /v1/webhook_endpoints}, their delivery logs, and redelivering an event. */
public final class WebhooksApi implements Api {
    private final WebhookEndpoints endpoints;

    public WebhooksApi(WebhookEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    @Override
    public String openApiFragment() {
        return "webhooks";
    }

    @Override
    public List<Route> routes() {
        return List.of(
                // A retry that took over the key of a request cut off after the endpoint was made answers that endpoint (decision 075).
                Route.post("/v1/webhook_endpoints", call -> call.resumedFrom() != null ? endpoints.created(call.tenant(), call.resumedFrom())
                        : endpoints.create(call.tenant(), draft(call), call.recoveryPoint())),
                Route.get("/v1/webhook_endpoints", call -> endpoints.list(call.tenant(), call.paging())),
                Route.get("/v1/webhook_endpoints/{id}", call -> endpoints.get(call.tenant(), call.path("id"))),
                Route.post("/v1/webhook_endpoints/{id}", call -> endpoints.update(call.tenant(), call.path("id"), draft(call))),
                Route.delete("/v1/webhook_endpoints/{id}", call -> {
                    endpoints.delete(call.tenant(), call.path("id"));
                    return DeletedJson.of("webhook_endpoint", call.path("id"));
                }),
                Route.post("/v1/webhook_endpoints/{id}/roll_secret", this::roll).inOneTransaction(),
                Route.post("/v1/webhook_endpoints/{id}/test", call -> {
                    call.body().only();
                    return endpoints.test(call.tenant(), call.path("id"));
                }).inOneTransaction(),
                Route.get("/v1/webhook_endpoints/{id}/deliveries", call -> endpoints.deliveries(call.tenant(), call.path("id"), call.paging())),
                Route.post("/v1/events/{id}/redeliver", call -> {
                    Body b = call.body().only("endpoint");
                    return endpoints.redeliver(call.tenant(), call.path("id"), b.optString("endpoint"));
                }).inOneTransaction());
    }

    private static EndpointRules.Draft draft(Call call) {
        // The contract names the list "events", Stripe "enabled_events": either is taken, not both (decision 084).
        Body b = call.body().only("url", "events", "enabled_events", "description", "status");
        List<String> events = b.optStrings("events"), enabled = b.optStrings("enabled_events");
        if (events != null && enabled != null) throw new Problem(422, "parameters_exclusive",
                "Give either 'events' or 'enabled_events' (two names for the same list), not both", "enabled_events");
        return events != null ? new EndpointRules.Draft(b.optString("url"), events, "events", b.optString("description"), b.optString("status"))
                : new EndpointRules.Draft(b.optString("url"), enabled, b.optString("description"), b.optString("status"));
    }

    private Object roll(Call call) {
        Integer seconds = call.body().only("expire_previous_in").optInt("expire_previous_in");
        return endpoints.rollSecret(call.tenant(), call.path("id"), Duration.ofSeconds(seconds == null ? 0 : seconds));
    }
}
