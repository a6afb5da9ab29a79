package tollgate.webhooks;

import tollgate.events.EventTypes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.jooq.DSLContext;
import tollgate.events.EventLog;
import tollgate.tenants.TenantClock;

/**
 * Writes a delivery row per event and subscribed endpoint in the transaction that appends the events (the outbox
 * rule): they exist exactly when the events do. The billing run appends its events in batches, and a batch's
 * deliveries are one more bulk insert (COPY on PostgreSQL). Which endpoints a tenant has is cached for a second, so
 * that the many appends of tenants without endpoints cost a map lookup; a change made on this node is seen at once,
 * one made on another node within that second.
 */
public final class Fanout implements EventLog.Listener {
    static final long CACHE_NANOS = 1_000_000_000L;

    private record Cached(List<WebhookStore.Subscriber> subscribers, long loadedAt) {}

    private final WebhookStore store;
    private final TenantClock clock;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    public Fanout(WebhookStore store, TenantClock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public void appended(DSLContext tx, String tenantId, Instant at, List<EventLog.Appended> events) {
        List<WebhookStore.Subscriber> subscribers = subscribers(tx, tenantId);
        if (subscribers.isEmpty()) return;
        List<String[]> pairs = new ArrayList<>(events.size() * subscribers.size());
        for (EventLog.Appended e : events)
            for (WebhookStore.Subscriber s : subscribers)
                if (EventTypes.matches(s.enabledEvents(), e.type())) pairs.add(new String[] {s.id(), e.id()});
        // Due at once by the real clock, for test tenants too: a first attempt does not wait for their clock to move.
        if (!pairs.isEmpty()) store.insertDeliveries(tx, tenantId, pairs, clock.systemNow(), at);
    }

    private List<WebhookStore.Subscriber> subscribers(DSLContext tx, String tenantId) {
        long now = System.nanoTime();
        Cached c = cache.get(tenantId);
        if (c != null && now - c.loadedAt < CACHE_NANOS) return c.subscribers;
        List<WebhookStore.Subscriber> loaded = store.subscribers(tx, tenantId);
        cache.put(tenantId, new Cached(loaded, now));
        return loaded;
    }

    /** The tenant's endpoints changed: read them again at the next event. */
    public void forget(String tenantId) {
        cache.remove(tenantId);
    }
}
