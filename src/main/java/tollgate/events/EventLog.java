package tollgate.events;

import java.time.Instant;
import java.util.List;
import org.jooq.DSLContext;
import tollgate.core.Database;
import tollgate.core.Ids;
import tollgate.core.Json;
import tollgate.core.Page;
import tollgate.core.Paging;
import tollgate.core.Problem;

/** Appending events inside a change's transaction, and reading them back. */
public final class EventLog {
    private final Database db;
    private final EventStore store;
    private final List<Listener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public EventLog(Database db, EventStore store) {
        this.db = db;
        this.store = store;
    }

    /** An event just appended, as those who follow the log (the webhooks' fan-out) see it. */
    public record Appended(String id, String type) {}

    /** Told of events in the transaction that appends them (appended at one instant), so its own rows commit with them. */
    @FunctionalInterface
    public interface Listener {
        void appended(DSLContext tx, String tenantId, Instant at, List<Appended> events);
    }

    public void onAppend(Listener listener) {
        listeners.add(listener);
    }

    /** Records {@code type} with {@code data} (serialised as the API shows it) in the caller's transaction. */
    public Event append(DSLContext tx, String tenantId, String type, String accountId, Instant at, Object data) {
        assert EventTypes.known(type) : "event type " + type + " is not in EventTypes.KNOWN";
        Event event = new Event(Ids.next("evt"), type, accountId, at, Json.MAPPER.valueToTree(data));
        store.insert(tx, tenantId, event);
        for (Listener l : listeners) l.appended(tx, tenantId, at, List.of(new Appended(event.id(), type)));
        return event;
    }

    /**
     * Records one event of {@code type} per item, in one round trip; {@code accountOf} names each item's account.
     * Each item is written to JSON once, straight to UTF-8 (a tree, then a string, then bytes cost three times as much).
     */
    public <T> void appendAll(DSLContext tx, String tenantId, String type, Instant at, List<T> items,
                              java.util.function.Function<T, String> accountOf) {
        if (items.isEmpty()) return;
        assert EventTypes.known(type) : "event type " + type + " is not in EventTypes.KNOWN";
        List<EventStore.Row> batch = new java.util.ArrayList<>(items.size());
        for (T item : items) batch.add(new EventStore.Row(Ids.next("evt"), type, accountOf.apply(item), at, Json.writeUtf8(item)));
        store.insertAll(tx, tenantId, batch);
        if (listeners.isEmpty()) return;
        List<Appended> appended = new java.util.ArrayList<>(batch.size());
        for (EventStore.Row r : batch) appended.add(new Appended(r.id(), type));
        for (Listener l : listeners) l.appended(tx, tenantId, at, appended);
    }

    /** One event as {@code GET /v1/events/{id}} shows it. */
    /**
     * Events by id, of any tenant, as the JSON the API answers for them: for the webhook workers, which send thousands a
     * second and need not parse each event's data only to write it again.
     */
    public java.util.Map<String, RawEvent> findAllRaw(DSLContext db, String[] ids) {
        return store.findAllRaw(db, ids);
    }

    public Event get(String tenantId, String id) {
        return store.find(db.dsl(), tenantId, id).orElseThrow(() -> Problem.notFound("event", id));
    }

    public Page<Event> list(String tenantId, String type, String accountId, Paging paging) {
        DSLContext dsl = db.dsl();
        Long before = null;
        if (paging.startingAfter() != null) {
            before = store.seqOf(dsl, tenantId, paging.startingAfter())
                    .orElseThrow(() -> tollgate.core.NewestFirst.unknownStartingAfter(paging.startingAfter()));
        }
        List<Event> rows = store.list(dsl, tenantId, type, accountId, before, paging.fetchSize());
        return Page.of(rows, paging.limit());
    }
}
