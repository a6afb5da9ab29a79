package tollgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import tollgate.events.Event;

/** An event as the API shows it (openapi fragment {@code events}); {@code data} was written by {@link ApiJson#MAPPER}. */
public record EventJson(String id, String object, String type, String account, Instant createdAt, JsonNode data) {
    static EventJson of(Event e) {
        return new EventJson(e.id(), "event", e.type(), e.account(), e.createdAt(), e.data());
    }
}
