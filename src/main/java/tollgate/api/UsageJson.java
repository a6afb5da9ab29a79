package tollgate.api;

import java.time.Instant;
import tollgate.usage.UsageBatch;
import tollgate.usage.UsageEvent;

/** Usage as the API answers it (SPEC §10; openapi fragment {@code usage}): {@code object} first, as it always was. */
final class UsageJson {
    private UsageJson() {}

    public record UsageEventJson(String object, String id, String subscription, long quantity, Instant timestamp, boolean duplicate) {
        static UsageEventJson of(UsageEvent e) {
            return new UsageEventJson("usage_event", e.id(), e.subscription(), e.quantity(), e.timestamp(), e.duplicate());
        }
    }

    /** The answer to a batch: how many events were new and how many repeated an id already recorded. */
    public record UsageBatchJson(String object, int accepted, int duplicates) {
        static UsageBatchJson of(UsageBatch b) {
            return new UsageBatchJson("usage_event_batch", b.accepted(), b.duplicates());
        }
    }
}
