package tollgate.api;

import java.util.List;
import tollgate.events.EventLog;

/** {@code GET /v1/events}, filtered by {@code type} and {@code account}, and {@code GET /v1/events/{id}}. */
public final class EventsApi implements Api {
    private final EventLog events;

    public EventsApi(EventLog events) {
        this.events = events;
    }

    @Override
    public String openApiFragment() {
        return "events";
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.get("/v1/events",
                        call -> events.list(call.tenant().id(), call.query("type"), call.query("account"), call.paging())),
                Route.get("/v1/events/{id}", call -> events.get(call.tenant().id(), call.path("id"))));
    }
}
