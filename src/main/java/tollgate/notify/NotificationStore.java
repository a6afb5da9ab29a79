package tollgate.notify;

import com.fasterxml.jackson.core.type.TypeReference;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Record;
import tollgate.core.Json;
import tollgate.core.NewestFirst;

/** SQL for the notification outbox; every query is scoped by tenant. */
public final class NotificationStore {
    private static final String COLUMNS = "id, account_id, template, recipient, invoice_id, data, status, created_at, sent_at";

    public void insert(DSLContext tx, String tenantId, Notification n) {
        tx.execute("insert into notifications (tenant_id, " + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                tenantId, n.id(), n.account(), n.template(), n.recipient(), n.invoice(), Json.write(n.data()), n.status(),
                n.createdAt(), n.sentAt());
    }

    /** The account's notifications, newest first. */
    public List<Notification> list(DSLContext db, String tenantId, String accountId, String startingAfter, int limit) {
        return NewestFirst.page(db, "select " + COLUMNS + " from notifications where tenant_id = ? and account_id = ?",
                List.of(tenantId, accountId), startingAfter, limit, NotificationStore::notification);
    }

    private static Notification notification(Record r) {
        Map<String, Object> data;
        try {
            data = Json.MAPPER.readValue(r.get("data", String.class), new TypeReference<Map<String, Object>>() {});
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("notification " + r.get("id", String.class) + " keeps unreadable data", e);
        }
        return new Notification(r.get("id", String.class), r.get("account_id", String.class), r.get("template", String.class),
                r.get("recipient", String.class), r.get("invoice_id", String.class), data, r.get("status", String.class),
                r.get("created_at", Instant.class), r.get("sent_at", Instant.class));
    }
}
