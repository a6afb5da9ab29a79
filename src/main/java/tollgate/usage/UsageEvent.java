package tollgate.usage;

import java.time.Instant;

/** A recorded usage event as the API answers it; {@code duplicate} when its id had been recorded before. */
public record UsageEvent(String object, String id, String subscription, long quantity, Instant timestamp, boolean duplicate) {
    public UsageEvent(String id, String subscription, long quantity, Instant timestamp, boolean duplicate) {
        this("usage_event", id, subscription, quantity, timestamp, duplicate);
    }
}
