package tollgate.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;
import tollgate.core.Json;

/** SQL for the event log. {@code seq} orders events; ids only name them. */
public final class EventStore {

    private static final String INSERT = "insert into events (id, tenant_id, seq, type, account_id, created_at, data) values";
    private static final String TUPLE = "(?, ?, nextval('events_seq'), ?, ?, ?, ?)";

    /**
     * One event, its data already JSON (UTF-8). Through {@link tollgate.core.Bulk}, so that inside requests run together
     * (decision 068) it is sent with the batch's other events, in the order appended: {@code seq} is taken as it is
     * inserted, and an event written in place would number before the batch's earlier ones kept back (decision 069).
     */
    public void insert(DSLContext db, String tenantId, String id, String type, String accountId, Instant at, byte[] json) {
        tollgate.core.Bulk.write(db, INSERT + " " + TUPLE, id, tenantId, type, accountId, at, new tollgate.core.Bulk.Utf8(json));
    }

    /** An event to write, its data already JSON (UTF-8). */
    public record Row(String id, String type, String account, Instant createdAt, byte[] json) {}

    /**
     * Many events at once. A few (an API batch's, decision 068) go as one multi-row insert that numbers them in the
     * order given; more (a billing run's) take their {@code seq} values in one statement, in the order given, and are
     * written with {@link tollgate.core.Bulk#insert} (COPY on PostgreSQL).
     */
    public void insertAll(DSLContext db, String tenantId, List<Row> events) {
        if (events.isEmpty()) return;
        // Kept back with a batch's other writes, however many: numbered in the order appended (see insert).
        if (events.size() < FEW || tollgate.core.Bulk.deferring(db)) {
            List<Object[]> rows = new ArrayList<>(events.size());
            for (Row e : events)
                rows.add(new Object[] {e.id(), tenantId, e.type(), e.account(), e.createdAt(), new tollgate.core.Bulk.Utf8(e.json())});
            tollgate.core.Bulk.insertRows(db, INSERT, TUPLE, "", rows);
            return;
        }
        String series = db.dialect().family() == org.jooq.SQLDialect.H2 ? "system_range(1, ?)" : "generate_series(1, ?)";
        List<Long> seqs = new ArrayList<>(db.fetch("select nextval('events_seq') from " + series, events.size()).getValues(0, Long.class));
        java.util.Collections.sort(seqs);
        List<Object[]> rows = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            Row e = events.get(i);
            rows.add(new Object[] {e.id(), tenantId, seqs.get(i), e.type(), e.account(), e.createdAt(), new tollgate.core.Bulk.Utf8(e.json())});
        }
        tollgate.core.Bulk.insert(db, "events", COLUMNS, rows);
    }

    /** {@link EventLog#replaceInData}: the account's events at {@code at} (by its index) whose data holds the placeholder. */
    public void replaceInData(DSLContext db, String tenantId, String accountId, Instant at, String placeholder, String value) {
        db.execute("update events set data = replace(data, ?, ?) where tenant_id = ? and account_id = ? and created_at = ? "
                + "and position(? in data) > 0", placeholder, value, tenantId, accountId, at, placeholder);
    }

    /** Fewer events than this go as one multi-row insert; as many or more, by COPY (decision 060's threshold). */
    private static final int FEW = 64;

    private static final List<String> COLUMNS = List.of("id", "tenant_id", "seq", "type", "account_id", "created_at", "data");

    public Optional<Long> seqOf(DSLContext db, String tenantId, String eventId) {
        return db.fetchOptional("select seq from events where tenant_id = ? and id = ?", tenantId, eventId)
                .map(r -> r.get(0, Long.class));
    }

    /** Newest first; {@code beforeSeq} continues a previous page. */
    public List<Event> list(DSLContext db, String tenantId, String type, String accountId, Long beforeSeq, int limit) {
        StringBuilder sql = new StringBuilder("select id, type, account_id, created_at, data from events where tenant_id = ?");
        List<Object> args = new ArrayList<>(List.of(tenantId));
        if (type != null) { sql.append(" and type = ?"); args.add(type); }
        if (accountId != null) { sql.append(" and account_id = ?"); args.add(accountId); }
        if (beforeSeq != null) { sql.append(" and seq < ?"); args.add(beforeSeq); }
        sql.append(" order by seq desc limit ?");
        args.add(limit);
        return db.fetch(sql.toString(), args.toArray()).map(EventStore::event);
    }

    public Optional<Event> find(DSLContext db, String tenantId, String id) {
        return db.fetchOptional("select id, type, account_id, created_at, data from events where tenant_id = ? and id = ?", tenantId, id)
                .map(EventStore::event);
    }


    private record Envelope(String id, String object, String type, String account, Instant createdAt,
                            @com.fasterxml.jackson.annotation.JsonRawValue String data) {}

    /**
     * Events by id, of any tenant, as the JSON the API answers for them: for the webhook workers, which send thousands a
     * second and need not parse each event's data only to write it again.
     */
    public java.util.Map<String, RawEvent> findAllRaw(DSLContext db, String[] ids) {
        java.util.Map<String, RawEvent> out = new java.util.HashMap<>();
        db.fetch("select id, type, account_id, created_at, data from events where id = any(?)", (Object) ids).forEach(r -> {
            String id = r.get("id", String.class);
            out.put(id, new RawEvent(id, Json.writeUtf8(new Envelope(id, "event", r.get("type", String.class), r.get("account_id", String.class),
                    r.get("created_at", Instant.class), r.get("data", String.class)))));
        });
        return out;
    }

    private static Event event(Record r) {
        try {
            return new Event(r.get("id", String.class), r.get("type", String.class), r.get("account_id", String.class),
                    r.get("created_at", Instant.class), Json.MAPPER.readTree(r.get("data", String.class)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored event data is not JSON", e);
        }
    }
}
