package tollgate.api;

import java.util.ArrayList;
import java.util.List;
import tollgate.core.Problem;
import tollgate.usage.UsageEventRules;
import tollgate.usage.UsageEventRules.Reported;
import tollgate.usage.Usage;

/** Usage events, one at a time or in batches of up to 1000 (SPEC §10). */
public final class UsageApi implements Api {
    private final Usage usage;

    public UsageApi(Usage usage) {
        this.usage = usage;
    }

    @Override
    public String openApiFragment() {
        return "usage";
    }

    @Override
    public List<Route> routes() {
        // The batch route first, so that "batch" is never read as anything else. Both keep their Idempotency-Key's answer
        // with the events, in one transaction (decision 072).
        return List.of(
                Route.post("/v1/usage_events/batch", call -> {
                    Body b = call.body().only("events");
                    List<Body> items = b.optObjects("events");
                    if (items == null) throw Problem.missing("events");
                    if (items.isEmpty() || items.size() > UsageEventRules.MAX_BATCH)
                        throw Problem.invalid("events", "parameter_invalid",
                                "'events' must hold 1 to " + UsageEventRules.MAX_BATCH + " events, not " + items.size());
                    List<Reported> events = new ArrayList<>(items.size());
                    for (int i = 0; i < items.size(); i++) events.add(reported(items.get(i), "events[" + i + "]."));
                    return usage.recordBatch(call.tenant(), events);
                }).inOneTransaction(),
                Route.post("/v1/usage_events", call -> usage.record(call.tenant(), reported(call.body(), ""))).inOneTransaction());
    }

    private static Reported reported(Body b, String at) {
        b.only("id", "subscription", "quantity", "timestamp");
        String id = b.string("id");
        String subscription = b.string("subscription");
        Long quantity = b.optLong("quantity");
        if (quantity == null) throw Problem.missing(at + "quantity");
        String timestamp = b.optString("timestamp");
        return new Reported(at, id, subscription, quantity, timestamp == null ? null : Call.instant(at + "timestamp", timestamp));
    }
}
