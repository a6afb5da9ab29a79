package tollgate.webhooks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.SQLDialect;
import tollgate.core.Bulk;
import tollgate.core.Json;

/** SQL for webhook endpoints and their deliveries; every query a tenant's call makes is scoped by tenant. */
public final class WebhookStore {
    private static final String ENDPOINT = "id, url, description, enabled_events, status, disabled_reason, created_at";

    /** An endpoint as the fan-out sees it. */
    public record Subscriber(String id, List<String> enabledEvents) {}

    /** What signing and sending a delivery to an endpoint needs. */
    public record Target(String id, String tenantId, String url, String status, byte[] secret, byte[] previousSecret,
                         Instant previousExpiresAt) {}

    /** A delivery taken by a worker. */
    public record Claimed(long id, String tenantId, String endpointId, String eventId, int attempts, Instant firstAttemptAt) {}

    public void insertEndpoint(DSLContext tx, String tenantId, WebhookEndpoint e, byte[] sealedSecret) {
        tx.execute("insert into webhook_endpoints (tenant_id, " + ENDPOINT + ", secret) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                tenantId, e.id(), e.url(), e.description(), Json.write(e.enabledEvents()), e.status(), e.disabledReason(),
                e.createdAt(), sealedSecret);
    }

    public void updateEndpoint(DSLContext tx, String tenantId, WebhookEndpoint e) {
        tx.execute("update webhook_endpoints set url = ?, description = ?, enabled_events = ?, status = ?, disabled_reason = ?, "
                        + "failing_since = case when ? = 'enabled' then null else failing_since end where tenant_id = ? and id = ?",
                e.url(), e.description(), Json.write(e.enabledEvents()), e.status(), e.disabledReason(), e.status(), tenantId, e.id());
    }

    public void rollSecret(DSLContext tx, String tenantId, String id, byte[] sealed, byte[] previous, Instant previousExpiresAt) {
        tx.execute("update webhook_endpoints set secret = ?, previous_secret = ?, previous_secret_expires_at = ? where tenant_id = ? and id = ?",
                sealed, previous, previousExpiresAt, tenantId, id);
    }

    public Optional<WebhookEndpoint> find(DSLContext db, String tenantId, String id) {
        return db.fetchOptional("select " + ENDPOINT + " from webhook_endpoints where tenant_id = ? and id = ?", tenantId, id)
                .map(WebhookStore::endpoint);
    }

    /** The endpoint locked for a change; {@code for update} keeps two changes (or a disabling) from crossing. */
    public Optional<WebhookEndpoint> lock(DSLContext tx, String tenantId, String id) {
        return tx.fetchOptional("select " + ENDPOINT + " from webhook_endpoints where tenant_id = ? and id = ? for update", tenantId, id)
                .map(WebhookStore::endpoint);
    }

    public byte[] sealedSecret(DSLContext tx, String tenantId, String id) {
        return tx.fetchOne("select secret from webhook_endpoints where tenant_id = ? and id = ?", tenantId, id).get(0, byte[].class);
    }

    public List<WebhookEndpoint> list(DSLContext db, String tenantId, String startingAfter, int limit) {
        return tollgate.core.NewestFirst.page(db, "select " + ENDPOINT + " from webhook_endpoints where tenant_id = ?",
                List.of(tenantId), startingAfter, limit, WebhookStore::endpoint);
    }

    public int count(DSLContext tx, String tenantId) {
        return tx.fetchOne("select count(*) from webhook_endpoints where tenant_id = ?", tenantId).get(0, Integer.class);
    }

    public void delete(DSLContext tx, String tenantId, String id) {
        tx.execute("delete from webhook_deliveries where tenant_id = ? and endpoint_id = ?", tenantId, id);
        tx.execute("delete from webhook_endpoints where tenant_id = ? and id = ?", tenantId, id);
    }

    public List<Subscriber> subscribers(DSLContext db, String tenantId) {
        return db.fetch("select id, enabled_events from webhook_endpoints where tenant_id = ? and status = 'enabled' order by id", tenantId)
                .map(r -> new Subscriber(r.get(0, String.class), events(r.get(1, String.class))));
    }

    private static final List<String> DELIVERY_COLUMNS = List.of("tenant_id", "endpoint_id", "event_id", "state", "run_at", "attempts", "created_at");

    /** New deliveries, due at {@code runAt} (real time): {endpoint id, event id} pairs. COPY on PostgreSQL. */
    public void insertDeliveries(DSLContext tx, String tenantId, List<String[]> endpointAndEvent, Instant runAt, Instant createdAt) {
        List<Object[]> rows = new ArrayList<>(endpointAndEvent.size());
        for (String[] p : endpointAndEvent) rows.add(new Object[] {tenantId, p[0], p[1], "pending", runAt, 0, createdAt});
        Bulk.insert(tx, "webhook_deliveries", DELIVERY_COLUMNS, rows);
    }

    /** Locks up to {@code limit} pending deliveries due by {@code now} (real time), passing over rows other workers hold. */
    public List<Claimed> claimDue(DSLContext tx, Instant now, int limit) {
        String select = "select id, tenant_id, endpoint_id, event_id, attempts, first_attempt_at from webhook_deliveries "
                + "where state = 'pending' and run_at <= ? order by run_at limit ? for update skip locked";
        return tx.fetch(select, now, limit).map(r -> new Claimed(r.get(0, Long.class), r.get(1, String.class),
                r.get(2, String.class), r.get(3, String.class), r.get(4, Integer.class), r.get(5, Instant.class)));
    }

    /** When the longest-waiting pending delivery became due (null: none is pending). */
    public Instant oldestDue(DSLContext db) {
        return db.fetchOne("select min(run_at) from webhook_deliveries where state = 'pending'").get(0, Instant.class);
    }

    /** A test tenant's retry, locked, when it is still waiting for it. */
    public Optional<Claimed> lockScheduled(DSLContext tx, String tenantId, long id) {
        return tx.fetchOptional("select id, tenant_id, endpoint_id, event_id, attempts, first_attempt_at from webhook_deliveries "
                        + "where tenant_id = ? and id = ? and state = 'scheduled' for update", tenantId, id)
                .map(r -> new Claimed(r.get(0, Long.class), r.get(1, String.class), r.get(2, String.class), r.get(3, String.class),
                        r.get(4, Integer.class), r.get(5, Instant.class)));
    }

    public Map<String, Target> targets(DSLContext db, String[] endpointIds) {
        Map<String, Target> out = new HashMap<>();
        db.fetch("select id, tenant_id, url, status, secret, previous_secret, previous_secret_expires_at from webhook_endpoints where id = any(?)",
                (Object) endpointIds).forEach(r -> out.put(r.get(0, String.class), new Target(r.get(0, String.class), r.get(1, String.class),
                r.get(2, String.class), r.get(3, String.class), r.get(4, byte[].class), r.get(5, byte[].class), r.get(6, Instant.class))));
        return out;
    }

    /** Each tenant's mode and test clock (null for live tenants). */
    public Map<String, Instant> testClocks(DSLContext db, String[] tenantIds, Map<String, Boolean> testMode) {
        Map<String, Instant> out = new HashMap<>();
        db.fetch("select id, mode, clock_now from tenants where id = any(?)", (Object) tenantIds).forEach(r -> {
            testMode.put(r.get(0, String.class), "test".equals(r.get(1, String.class)));
            out.put(r.get(0, String.class), r.get(2, Instant.class));
        });
        return out;
    }

    /** The result of one attempt on one delivery. */
    public record Attempt(long id, String state, Instant runAt, Instant nextAttemptAt, Instant firstAttemptAt, Instant at,
                          Integer status, Integer latencyMs, String response, String error) {}

    /**
     * Writes attempts' results in one batch. On PostgreSQL the delivered ones (nearly all, at speed) are one statement
     * over arrays rather than an update each.
     */
    public void record(DSLContext tx, List<Attempt> attempts) {
        List<Attempt> rest = attempts;
        if (tx.dialect().family() == SQLDialect.POSTGRES) {
            List<Attempt> delivered = attempts.stream().filter(a -> "delivered".equals(a.state())).toList();
            if (!delivered.isEmpty()) recordDelivered(tx, delivered);
            rest = attempts.stream().filter(a -> !"delivered".equals(a.state())).toList();
        }
        List<Object[]> rows = new ArrayList<>(rest.size());
        for (Attempt a : rest)
            rows.add(new Object[] {a.state(), a.runAt(), a.nextAttemptAt(), a.firstAttemptAt(), a.at(), a.status(), a.latencyMs(),
                    a.response(), a.error(), "delivered".equals(a.state()) ? a.at() : null, a.id()});
        Bulk.run(tx, "update webhook_deliveries set state = ?, run_at = ?, next_attempt_at = ?, first_attempt_at = coalesce(first_attempt_at, ?), "
                + "attempts = attempts + 1, last_attempt_at = ?, last_status = ?, last_latency_ms = ?, last_response = ?, last_error = ?, "
                + "delivered_at = ? where id = ?", rows);
    }

    private static void recordDelivered(DSLContext tx, List<Attempt> delivered) {
        int n = delivered.size();
        Long[] ids = new Long[n], at = new Long[n], first = new Long[n];
        Integer[] status = new Integer[n], latency = new Integer[n];
        String[] response = new String[n];
        for (int i = 0; i < n; i++) {
            Attempt a = delivered.get(i);
            ids[i] = a.id();
            at[i] = a.at().toEpochMilli();
            first[i] = a.firstAttemptAt().toEpochMilli();
            status[i] = a.status();
            latency[i] = a.latencyMs();
            response[i] = a.response();
        }
        tx.execute("update webhook_deliveries d set state = 'delivered', next_attempt_at = null, attempts = d.attempts + 1, "
                + "first_attempt_at = coalesce(d.first_attempt_at, timestamptz 'epoch' + r.first_ms * interval '1 millisecond'), "
                + "last_attempt_at = timestamptz 'epoch' + r.at_ms * interval '1 millisecond', "
                + "delivered_at = timestamptz 'epoch' + r.at_ms * interval '1 millisecond', "
                + "last_status = r.status, last_latency_ms = r.latency, last_response = r.response, last_error = null "
                + "from unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::integer[], ?::integer[], ?::text[]) "
                + "as r(id, at_ms, first_ms, status, latency, response) where d.id = r.id", ids, at, first, status, latency, response);
    }

    /** Endpoints that answered: their run of failures is over. */
    public void succeeded(DSLContext tx, String[] endpointIds) {
        // One at a time in the order given (the caller's id order): a single statement would lock them in scan order.
        for (String id : endpointIds)
            tx.execute("update webhook_endpoints set failing_since = null where id = ? and failing_since is not null", id);
    }

    /** Starts an endpoint's run of failures at {@code at}, unless one is already going; answers when it started. */
    public Instant failing(DSLContext tx, String endpointId, Instant at) {
        tx.execute("update webhook_endpoints set failing_since = ? where id = ? and failing_since is null", at, endpointId);
        return tx.fetchOptional("select failing_since from webhook_endpoints where id = ?", endpointId)
                .map(r -> r.get(0, Instant.class)).orElse(null);
    }

    /** Disables the endpoint (if still enabled) and gives up on its undelivered rows; answers whether it was enabled. */
    public boolean disable(DSLContext tx, String endpointId, String reason, Instant at) {
        int n = tx.execute("update webhook_endpoints set status = 'disabled', disabled_reason = ? where id = ? and status = 'enabled'",
                reason, endpointId);
        if (n == 0) return false;
        tx.execute("update webhook_deliveries set state = 'failed', next_attempt_at = null, last_error = coalesce(last_error, ?) "
                + "where endpoint_id = ? and state in ('pending', 'scheduled')", "endpoint_disabled", endpointId);
        return true;
    }

    public List<Delivery> deliveries(DSLContext db, String tenantId, String endpointId, long beforeId, int limit) {
        return db.fetch("select id, endpoint_id, event_id, state, attempts, next_attempt_at, last_attempt_at, last_status, last_latency_ms, "
                        + "last_response, last_error, created_at, delivered_at from webhook_deliveries where tenant_id = ? and endpoint_id = ? "
                        + "and id < ? order by id desc limit ?", tenantId, endpointId, beforeId, limit)
                .map(WebhookStore::delivery);
    }

    public Optional<Delivery> delivery(DSLContext db, String tenantId, long id) {
        return db.fetchOptional("select id, endpoint_id, event_id, state, attempts, next_attempt_at, last_attempt_at, last_status, "
                        + "last_latency_ms, last_response, last_error, created_at, delivered_at from webhook_deliveries where tenant_id = ? and id = ?",
                tenantId, id).map(WebhookStore::delivery);
    }

    /** Ids of the deliveries just written for {@code eventId} (to answer a redelivery or a test). */
    public List<Delivery> newestOf(DSLContext tx, String tenantId, String eventId, int n) {
        return tx.fetch("select id, endpoint_id, event_id, state, attempts, next_attempt_at, last_attempt_at, last_status, last_latency_ms, "
                        + "last_response, last_error, created_at, delivered_at from webhook_deliveries where tenant_id = ? and event_id = ? "
                        + "order by id desc limit ?", tenantId, eventId, n).map(WebhookStore::delivery);
    }

    private static Delivery delivery(Record r) {
        String state = r.get(3, String.class);
        return new Delivery(Delivery.publicId(r.get(0, Long.class)), r.get(1, String.class), r.get(2, String.class),
                "scheduled".equals(state) ? "pending" : state, r.get(4, Integer.class), r.get(5, Instant.class), r.get(6, Instant.class),
                r.get(7, Integer.class), r.get(8, Integer.class), r.get(9, String.class), r.get(10, String.class), r.get(11, Instant.class),
                r.get(12, Instant.class));
    }

    private static WebhookEndpoint endpoint(Record r) {
        return new WebhookEndpoint(r.get("id", String.class), r.get("url", String.class), r.get("description", String.class),
                events(r.get("enabled_events", String.class)), r.get("status", String.class), r.get("disabled_reason", String.class),
                r.get("created_at", Instant.class));
    }

    private static List<String> events(String json) {
        return Json.readList(json, String.class, "webhook endpoint keeps unreadable enabled_events");
    }
}
