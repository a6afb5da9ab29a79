package tollgate.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.jooq.DSLContext;
import tollgate.core.Database;
import tollgate.core.Ids;
import tollgate.core.Page;
import tollgate.core.Paging;
import tollgate.core.Problem;

/** Appending events inside a change's transaction, and reading them back. */
public final class EventLog {
    private final Database db;
    private final EventStore store;
    private final List<Listener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Writes {@code data} as the API shows it (the wiring passes api's mapper, which knows the resources' views). */
    private final ObjectMapper apiJson;

    public EventLog(Database db, EventStore store, ObjectMapper apiJson) {
        this.db = db;
        this.store = store;
        this.apiJson = apiJson;
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
    public Appended append(DSLContext tx, String tenantId, String type, String accountId, Instant at, Object data) {
        assert EventTypes.known(type) : "event type " + type + " is not in EventTypes.KNOWN";
        // Written to JSON once, straight to UTF-8 (a tree first, then its text, cost twice as much: decision 058).
        Appended event = new Appended(Ids.next("evt"), type);
        store.insert(tx, tenantId, event.id(), type, accountId, at, writeUtf8(data));
        for (Listener l : listeners) l.appended(tx, tenantId, at, List.of(event));
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
        for (T item : items) batch.add(new EventStore.Row(Ids.next("evt"), type, accountOf.apply(item), at, writeUtf8(item)));
        // One event (an API request's invoice, its e-mail) is one insert; a batch takes its sequence numbers, then a COPY.
        if (batch.size() == 1) {
            EventStore.Row r = batch.getFirst();
            store.insert(tx, tenantId, r.id(), r.type(), r.account(), r.createdAt(), r.json());
        } else {
            store.insertAll(tx, tenantId, batch);
        }
        if (listeners.isEmpty()) return;
        List<Appended> appended = new java.util.ArrayList<>(batch.size());
        for (EventStore.Row r : batch) appended.add(new Appended(r.id(), type));
        for (Listener l : listeners) l.appended(tx, tenantId, at, appended);
    }

    /**
     * Replaces {@code placeholder} by {@code value} in the data of the account's events appended at {@code at} in the
     * caller's transaction: an invoice numbered at the end of it (decision 058) was written into them with a stand-in.
     */
    public void replaceInData(DSLContext tx, String tenantId, String accountId, Instant at, String placeholder, String value) {
        store.replaceInData(tx, tenantId, accountId, at, placeholder, value);
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

    private byte[] writeUtf8(Object item) {
        try {
            return apiJson.writeValueAsBytes(item);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("Cannot write JSON", e);
        }
    }
}
