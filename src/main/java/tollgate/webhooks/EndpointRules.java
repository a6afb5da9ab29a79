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

    /**
     * What a caller gives; null fields are not given. {@code eventsField} is the name the caller gave the list by, for
     * its refusals: {@code events} (the contract's name) or {@code enabled_events} (Stripe's), decision 084.
     */
    public record Draft(String url, List<String> enabledEvents, String eventsField, String description, String status) {
        public Draft(String url, List<String> enabledEvents, String description, String status) {
            this(url, enabledEvents, "enabled_events", description, status);
        }
    }

    private EndpointRules() {}

    /** The subscribed types, each known, without repeats; {@code "*"} stands alone. */
    public static List<String> enabledEvents(List<String> given) {
        return enabledEvents("enabled_events", given);
    }

    /** {@link #enabledEvents(List)}, refusals naming {@code field}, the name the caller gave the list by. */
    public static List<String> enabledEvents(String field, List<String> given) {
        if (given.isEmpty()) throw Problem.invalid(field, "parameter_invalid",
                "'" + field + "' must name at least one event type, or be [\"*\"] for all of them");
        if (given.size() > MAX_EVENTS) throw Problem.invalid(field, "parameter_invalid",
                "'" + field + "' may name at most " + MAX_EVENTS + " types");
        LinkedHashSet<String> types = new LinkedHashSet<>();
        for (int i = 0; i < given.size(); i++) {
            String t = given.get(i);
            if (EventTypes.ALL.equals(t)) {
                if (given.size() > 1) throw Problem.invalid(field + "[" + i + "]", "parameter_invalid",
                        "\"*\" subscribes to every event type and stands alone in '" + field + "'");
            } else if (t == null || !EventTypes.KNOWN.contains(t) || EventTypes.TEST.equals(t)) {
                throw Problem.invalid(field + "[" + i + "]", "event_type_unknown",
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
