package tollgate.webhooks;

import tollgate.events.EventTypes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import tollgate.core.Problem;

/** The rules of an endpoint's fields, apart from where its URL may point ({@link Destinations}). */
public final class EndpointRules {
    public static final int MAX_DESCRIPTION = 500;
    public static final int MAX_EVENTS = 100;

    /** What a caller gives; null fields are not given. */
    public record Draft(String url, List<String> enabledEvents, String description, String status) {}

    private EndpointRules() {}

    /** The subscribed types, each known, without repeats; {@code "*"} stands alone. */
    public static List<String> enabledEvents(List<String> given) {
        if (given.isEmpty()) throw Problem.invalid("enabled_events", "parameter_invalid",
                "'enabled_events' must name at least one event type, or be [\"*\"] for all of them");
        if (given.size() > MAX_EVENTS) throw Problem.invalid("enabled_events", "parameter_invalid",
                "'enabled_events' may name at most " + MAX_EVENTS + " types");
        LinkedHashSet<String> types = new LinkedHashSet<>();
        for (int i = 0; i < given.size(); i++) {
            String t = given.get(i);
            if (EventTypes.ALL.equals(t)) {
                if (given.size() > 1) throw Problem.invalid("enabled_events[" + i + "]", "parameter_invalid",
                        "\"*\" subscribes to every event type and stands alone in 'enabled_events'");
            } else if (t == null || !EventTypes.KNOWN.contains(t) || EventTypes.TEST.equals(t)) {
                throw Problem.invalid("enabled_events[" + i + "]", "event_type_unknown",
                        "'" + (t == null ? "null" : t.length() > 80 ? t.substring(0, 80) + "…" : t) + "' is not an event type (see GET /v1/events)");
            }
            types.add(t);
        }
        return new ArrayList<>(types);
    }

    public static String description(String given) {
        if (given != null && given.length() > MAX_DESCRIPTION)
            throw Problem.invalid("description", "parameter_invalid", "'description' must be at most " + MAX_DESCRIPTION + " characters");
        return given;
    }

    public static String status(String given) {
        if (!WebhookEndpoint.ENABLED.equals(given) && !WebhookEndpoint.DISABLED.equals(given))
            throw Problem.invalid("status", "parameter_invalid", "'status' must be enabled or disabled");
        return given;
    }
}
