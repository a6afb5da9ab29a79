package tollgate.webhooks;

import tollgate.events.EventTypes;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tollgate.core.Database;
import tollgate.core.Ids;
import tollgate.core.Page;
import tollgate.core.Paging;
import tollgate.core.Problem;
import tollgate.core.Vault;
import tollgate.events.Event;
import tollgate.events.EventLog;
import tollgate.tenants.Tenant;
import tollgate.tenants.TenantClock;

/**
 * A tenant's webhook endpoints: creating (the {@code whsec_} secret shown once), changing, deleting, rolling the secret,
 * a test event on demand, redelivering an event and the delivery log.
 */
public final class WebhookEndpoints {
    public static final int MAX_ENDPOINTS = 16;
    /** The longest a rolled secret's predecessor may keep signing, as Stripe allows. */
    public static final Duration MAX_PREVIOUS_SECRET = Duration.ofHours(24);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database db;
    private final WebhookStore store;
    private final EventLog events;
    private final TenantClock clock;
    private final Vault vault;
    private final Fanout fanout;

    public WebhookEndpoints(Database db, WebhookStore store, EventLog events, TenantClock clock, Vault vault, Fanout fanout) {
        this.db = db;
        this.store = store;
        this.events = events;
        this.clock = clock;
        this.vault = vault;
        this.fanout = fanout;
    }

    static String sealedAs(String endpointId) {
        return "webhook_endpoint:" + endpointId;
    }

    public WebhookEndpoint create(Tenant tenant, EndpointRules.Draft draft) {
        return create(tenant, draft, tollgate.core.RecoveryPoint.NONE);
    }

    /** {@link #create}, the new endpoint recorded at {@code point} in the transaction that writes it (decision 075). */
    public WebhookEndpoint create(Tenant tenant, EndpointRules.Draft draft, tollgate.core.RecoveryPoint point) {
        if (draft.url() == null) throw Problem.missing("url");
        String url = checkedUrl(tenant, draft.url());
        // The contract's list is optional: an endpoint that names none hears every type (decision 084).
        List<String> types = draft.enabledEvents() == null ? List.of(EventTypes.ALL)
                : EndpointRules.enabledEvents(draft.eventsField(), draft.enabledEvents());
        String description = EndpointRules.description(draft.description());
        String status = draft.status() == null ? WebhookEndpoint.ENABLED : EndpointRules.status(draft.status());
        String secret = newSecret();
        WebhookEndpoint created = db.tx(tx -> {
            // The tenant's row, locked, counts its endpoints one creation at a time.
            tx.execute("select id from tenants where id = ? for update", tenant.id());
            if (store.count(tx, tenant.id()) >= MAX_ENDPOINTS)
                throw new Problem(422, "too_many_endpoints", "A tenant may have at most " + MAX_ENDPOINTS
                        + " webhook endpoints; delete one first (an endpoint may subscribe to every event with [\"*\"])", "url");
            Instant now = clock.now(tx, tenant);
            WebhookEndpoint e = new WebhookEndpoint(Ids.next("we"), url, description, types, status, null, now);
            store.insertEndpoint(tx, tenant.id(), e, vault.sealText(secret, sealedAs(e.id())));
            point.reached(tx, e.id());
            return e;
        });
        fanout.forget(tenant.id());
        return created.withSecret(secret);
    }

    /**
     * What {@link #create} answered for the endpoint a request cut off by a crash made (decision 075): the endpoint with
     * its signing secret, which that request's caller never received.
     */
    public WebhookEndpoint created(Tenant tenant, String id) {
        WebhookEndpoint e = get(tenant, id);
        return e.withSecret(vault.openText(store.sealedSecret(db.dsl(), tenant.id(), id), sealedAs(id)));
    }

    public WebhookEndpoint get(Tenant tenant, String id) {
        return store.find(db.dsl(), tenant.id(), id).orElseThrow(() -> Problem.notFound("webhook_endpoint", id));
    }

    public Page<WebhookEndpoint> list(Tenant tenant, Paging paging) {
        return Page.of(store.list(db.dsl(), tenant.id(), paging.startingAfter(), paging.fetchSize()), paging.limit());
    }

    /** Changes the fields given; enabling a disabled endpoint forgets why it was disabled and its run of failures. */
    public WebhookEndpoint update(Tenant tenant, String id, EndpointRules.Draft draft) {
        String url = draft.url() == null ? null : checkedUrl(tenant, draft.url());
        List<String> types = draft.enabledEvents() == null ? null : EndpointRules.enabledEvents(draft.eventsField(), draft.enabledEvents());
        String description = EndpointRules.description(draft.description());
        String status = draft.status() == null ? null : EndpointRules.status(draft.status());
        WebhookEndpoint updated = db.tx(tx -> {
            WebhookEndpoint old = store.lock(tx, tenant.id(), id).orElseThrow(() -> Problem.notFound("webhook_endpoint", id));
            String newStatus = status == null ? old.status() : status;
            WebhookEndpoint e = new WebhookEndpoint(old.id(), url == null ? old.url() : url,
                    description == null ? old.description() : description, types == null ? old.enabledEvents() : types, newStatus,
                    WebhookEndpoint.ENABLED.equals(newStatus) ? null : old.disabledReason(), old.createdAt());
            store.updateEndpoint(tx, tenant.id(), e);
            return e;
        });
        fanout.forget(tenant.id());
        return updated;
    }

    public void delete(Tenant tenant, String id) {
        db.tx(tx -> {
            // Not locked first: the deliveries go before the endpoint, the order in which the workers lock them.
            store.find(tx, tenant.id(), id).orElseThrow(() -> Problem.notFound("webhook_endpoint", id));
            store.delete(tx, tenant.id(), id);
            return null;
        });
        fanout.forget(tenant.id());
    }

    /**
     * A new secret, answered once. The old one stops signing at once, or adds its own signature for up to 24 hours
     * ({@code previousValidFor}) so that receivers can be given the new secret meanwhile.
     */
    public WebhookEndpoint rollSecret(Tenant tenant, String id, Duration previousValidFor) {
        if (previousValidFor.isNegative() || previousValidFor.compareTo(MAX_PREVIOUS_SECRET) > 0)
            throw Problem.invalid("expire_previous_in", "parameter_invalid", "'expire_previous_in' must be between 0 and 86400 seconds");
        String secret = newSecret();
        WebhookEndpoint e = db.tx(tx -> {
            WebhookEndpoint found = store.lock(tx, tenant.id(), id).orElseThrow(() -> Problem.notFound("webhook_endpoint", id));
            byte[] old = store.sealedSecret(tx, tenant.id(), id);
            boolean keep = !previousValidFor.isZero();
            store.rollSecret(tx, tenant.id(), id, vault.sealText(secret, sealedAs(id)), keep ? old : null,
                    keep ? clock.systemNow().plus(previousValidFor) : null);
            return found;
        });
        return e.withSecret(secret);
    }

    /** Sends a {@code webhook_endpoint.test} event to this endpoint only (whatever its status); answers its delivery. */
    public Delivery test(Tenant tenant, String id) {
        return db.tx(tx -> {
            store.lock(tx, tenant.id(), id).orElseThrow(() -> Problem.notFound("webhook_endpoint", id));
            Instant now = clock.now(tx, tenant);
            var e = events.append(tx, tenant.id(), EventTypes.TEST, null, now,
                    Map.of("endpoint", id, "message", "A test event sent on request from Tollgate"));
            store.insertDeliveries(tx, tenant.id(), List.<String[]>of(new String[] {id, e.id()}), clock.systemNow(), now);
            return store.newestOf(tx, tenant.id(), e.id(), 1).getFirst();
        });
    }

    /**
     * Sends the event again: to {@code endpointId} when given, else to every enabled endpoint subscribed to its type.
     * The endpoint named must be enabled (409 {@code webhook_endpoint_disabled}) and subscribe to the event's type, or
     * the event be its own test event (422 {@code event_not_subscribed}): the same endpoints the event could have
     * reached (decision 091). Answers the new deliveries.
     */
    public Page<Delivery> redeliver(Tenant tenant, String eventId, String endpointId) {
        Event event = events.get(tenant.id(), eventId);
        return db.tx(tx -> {
            List<String[]> pairs = new ArrayList<>();
            if (endpointId != null) {
                WebhookEndpoint e = store.lock(tx, tenant.id(), endpointId).orElseThrow(() -> Problem.invalid("endpoint",
                        "resource_missing", "No such webhook_endpoint: '" + endpointId + "'"));
                if (!WebhookEndpoint.ENABLED.equals(e.status()))
                    throw new Problem(409, "webhook_endpoint_disabled", "Webhook endpoint '" + endpointId
                            + "' is disabled; enable it ({\"status\": \"enabled\"}) before sending it events", "endpoint");
                boolean ownTest = EventTypes.TEST.equals(event.type()) && endpointId.equals(event.data().path("endpoint").asText());
                if (!ownTest && !EventTypes.matches(e.enabledEvents(), event.type()))
                    throw Problem.invalid("endpoint", "event_not_subscribed", "Webhook endpoint '" + endpointId
                            + "' does not subscribe to " + event.type() + " events; add the type to its enabled_events first");
                pairs.add(new String[] {endpointId, eventId});
            } else {
                for (WebhookStore.Subscriber s : store.subscribers(tx, tenant.id()))
                    if (EventTypes.matches(s.enabledEvents(), event.type())) pairs.add(new String[] {s.id(), eventId});
            }
            if (pairs.isEmpty()) return Page.of(List.<Delivery>of(), 1);
            store.insertDeliveries(tx, tenant.id(), pairs, clock.systemNow(), clock.now(tx, tenant));
            return Page.of(store.newestOf(tx, tenant.id(), eventId, pairs.size()), pairs.size());
        });
    }

    public Page<Delivery> deliveries(Tenant tenant, String endpointId, Paging paging) {
        get(tenant, endpointId);
        long before = Long.MAX_VALUE;
        if (paging.startingAfter() != null) {
            before = Delivery.rowId(paging.startingAfter());
            if (before < 0) throw tollgate.core.NewestFirst.unknownStartingAfter(paging.startingAfter());
        }
        return Page.of(store.deliveries(db.dsl(), tenant.id(), endpointId, before, paging.fetchSize()), paging.limit());
    }

    private static String checkedUrl(Tenant tenant, String url) {
        try {
            URI uri = Destinations.parse(url, tenant.isTest());
            Destinations.addresses(uri, tenant.isTest());
            return uri.toString();
        } catch (Destinations.Refused e) {
            throw Problem.invalid("url", e.code, e.getMessage());
        }
    }

    private static String newSecret() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return "whsec_" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
