package tollgate.usage;

import java.time.Instant;

/**
 * A recorded usage event; {@code duplicate} when its id had been recorded before. The API writes it as api's
 * {@code UsageJson.UsageEventJson}.
 */
public record UsageEvent(String id, String subscription, long quantity, Instant timestamp, boolean duplicate) {}
