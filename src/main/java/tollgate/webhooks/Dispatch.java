package tollgate.webhooks;

import tollgate.events.EventTypes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jooq.DSLContext;
import tollgate.core.Database;
import tollgate.core.Vault;
import tollgate.events.EventLog;
import tollgate.events.RawEvent;
import tollgate.tenants.TenantClock;
import tollgate.timeline.Due;
import tollgate.timeline.Job;
import tollgate.timeline.Timeline;
import tollgate.webhooks.WebhookStore.Attempt;
import tollgate.webhooks.WebhookStore.Claimed;
import tollgate.webhooks.WebhookStore.Target;

/**
 * Sends deliveries and records what came of them. The workers take due rows in batches ({@code SKIP LOCKED}, leased
 * for {@link #LEASE}), post them side by side on virtual threads outside any transaction, then write the batch's
 * results in one. A failure is retried ({@link Retries}): a live tenant's row waits for its {@code run_at}; a test
 * tenant's waits on a timeline row ({@link #RETRY_JOB}), so that its test clock runs it. A delivery that fails on the
 * last day of its retries disables its endpoint, unless the endpoint answered anything since the delivery began.
 */
public final class Dispatch {
    public static final String RETRY_JOB = "webhook.retry";

    /** Tells the tenant (an email through the outbox) that an endpoint was disabled. */
    @FunctionalInterface
    public interface TenantMail {
        void endpointDisabled(DSLContext tx, String tenantId, Map<String, Object> data, Instant now);
    }

    private final Database db;
    private final WebhookStore store;
    private final EventLog events;
    private final TenantClock clock;
    private final Vault vault;
    private final Timeline timeline;
    private final OutboundHttp courier;
    private final Fanout fanout;
    private final TenantMail mail;

    public Dispatch(Database db, WebhookStore store, EventLog events, TenantClock clock, Vault vault,
                    Timeline timeline, OutboundHttp courier, Fanout fanout, TenantMail mail) {
        this.db = db;
        this.store = store;
        this.events = events;
        this.clock = clock;
        this.vault = vault;
        this.timeline = timeline;
        this.courier = courier;
        this.fanout = fanout;
        this.mail = mail;
    }

    /** The {@link #RETRY_JOB} job (registered in {@code tollgate/Reactions.java}): a test tenant's retry. */
    public Job retryJob() {
        return this::retry;
    }

    /**
     * One round of a worker: up to {@code limit} due deliveries claimed, sent and recorded in one transaction; answers
     * how many. The rows stay locked while they are sent (other workers pass over them), so a worker that dies leaves
     * them pending, as if never taken: a delivery is sent at least once, and twice only when a crash falls between the
     * receiver's answer and the commit.
     */
    public int deliverDue(int limit) {
        Instant now = clock.systemNow();
        Aftermath[] after = new Aftermath[1];
        int n = db.tx(tx -> {
            List<Claimed> claimed = store.claimDue(tx, now, limit);
            if (!claimed.isEmpty()) after[0] = record(tx, claimed, send(tx, claimed));
            return claimed.size();
        });
        // The endpoints' bookkeeping in a transaction of its own, once the deliveries' locks are let go: endpoint rows
        // are then never locked while delivery rows are held, by any worker, so two workers cannot wait on each other.
        if (after[0] != null && !after[0].isEmpty()) db.tx(tx -> {
            settle(tx, after[0]);
            return null;
        });
        return n;
    }

    /** Whether some due delivery has waited longer than {@code longest}. */
    public boolean overdue(java.time.Duration longest) {
        Instant oldest = store.oldestDue(db.dsl());
        return oldest != null && oldest.isBefore(clock.systemNow().minus(longest));
    }

    /** A test tenant's retry, run by its test clock: sent and recorded inside the timeline's transaction. */
    private void retry(DSLContext tx, Due due) {
        long id;
        try {
            id = Long.parseLong(due.ref());
        } catch (NumberFormatException e) {
            return;
        }
        store.lockScheduled(tx, due.tenantId(), id).ifPresent(c -> settle(tx, record(tx, List.of(c), send(tx, List.of(c)))));
    }

    private Map<Long, OutboundHttp.Outcome> send(DSLContext db, List<Claimed> claimed) {
        Map<String, Target> targets = store.targets(db, claimed.stream().map(Claimed::endpointId).distinct().toArray(String[]::new));
        Map<String, RawEvent> byId = events.findAllRaw(db, claimed.stream().map(Claimed::eventId).distinct().toArray(String[]::new));
        Map<String, Boolean> testMode = new HashMap<>();
        store.testClocks(db, claimed.stream().map(Claimed::tenantId).distinct().toArray(String[]::new), testMode);
        long t = clock.systemNow().getEpochSecond(); // real time: receivers compare it with their own clocks
        Map<String, List<String>> secrets = new HashMap<>();
        Map<Long, OutboundHttp.Outcome> outcomes = new HashMap<>();
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            Map<Long, Future<OutboundHttp.Outcome>> running = new LinkedHashMap<>();
            for (Claimed c : claimed) {
                Target target = targets.get(c.endpointId());
                RawEvent event = byId.get(c.eventId());
                if (target == null || event == null) {
                    outcomes.put(c.id(), new OutboundHttp.Outcome(0, 0, null, "gone: the endpoint or the event no longer exists"));
                    continue;
                }
                byte[] body = event.json();
                List<String> keys = secrets.computeIfAbsent(target.id(), k -> secretsOf(target));
                Map<String, String> headers = Map.of(Signature.HEADER, Signature.header(t, body, keys),
                        "Tollgate-Event-Id", event.id(), "Tollgate-Delivery-Id", Delivery.publicId(c.id()));
                boolean test = testMode.getOrDefault(c.tenantId(), false);
                running.put(c.id(), senders.submit(() -> courier.post(target.url(), test, headers, body)));
            }
            for (Map.Entry<Long, Future<OutboundHttp.Outcome>> e : running.entrySet()) {
                try {
                    outcomes.put(e.getKey(), e.getValue().get());
                } catch (Exception failure) {
                    outcomes.put(e.getKey(), new OutboundHttp.Outcome(0, 0, null, "internal: " + failure.getClass().getSimpleName()));
                }
            }
        }
        return outcomes;
    }

    /** The endpoint's secret, and its predecessor while that still signs too. */
    private List<String> secretsOf(Target target) {
        List<String> keys = new ArrayList<>(2);
        keys.add(vault.openText(target.secret(), WebhookEndpoints.sealedAs(target.id())));
        if (target.previousSecret() != null && target.previousExpiresAt() != null && target.previousExpiresAt().isAfter(clock.systemNow()))
            keys.add(vault.openText(target.previousSecret(), WebhookEndpoints.sealedAs(target.id())));
        return keys;
    }

    /** What a batch's results mean for their endpoints: who answered, who failed (and when), which deliveries gave up. */
    private record Aftermath(TreeSet<String> answered, TreeMap<String, Instant> failedAt, List<GivenUp> givenUp) {
        boolean isEmpty() {
            return answered.isEmpty() && failedAt.isEmpty();
        }
    }

    private record GivenUp(Claimed delivery, Instant firstAttemptAt, Instant at) {}

    /** Writes a batch's results at each tenant's time and schedules retries; answers what is left to do to endpoints. */
    private Aftermath record(DSLContext tx, List<Claimed> claimed, Map<Long, OutboundHttp.Outcome> outcomes) {
        Map<String, Boolean> testMode = new HashMap<>();
        Map<String, Instant> testClocks = store.testClocks(tx, claimed.stream().map(Claimed::tenantId).distinct().toArray(String[]::new), testMode);
        Instant system = clock.systemNow();
        List<Attempt> attempts = new ArrayList<>(claimed.size());
        Aftermath after = new Aftermath(new TreeSet<>(), new TreeMap<>(), new ArrayList<>());
        for (Claimed c : claimed) {
            OutboundHttp.Outcome o = outcomes.get(c.id());
            boolean test = testMode.getOrDefault(c.tenantId(), false);
            Instant at = test && testClocks.get(c.tenantId()) != null ? testClocks.get(c.tenantId()) : system;
            Instant first = c.firstAttemptAt() != null ? c.firstAttemptAt() : at;
            String response = o.response() == null ? null : clip(o.response(), 1000);
            String error = o.error() == null ? null : clip(o.error(), 300);
            Integer status = o.status() == 0 ? null : o.status();
            if (o.delivered()) {
                after.answered().add(c.endpointId());
                attempts.add(new Attempt(c.id(), "delivered", system, null, first, at, status, o.latencyMillis(), response, error));
                continue;
            }
            after.failedAt().merge(c.endpointId(), at, (x, y) -> x.isBefore(y) ? x : y);
            Instant next = Retries.next(c.attempts() + 1, first, at);
            if (next == null) {
                after.givenUp().add(new GivenUp(c, first, at));
                attempts.add(new Attempt(c.id(), "failed", system, null, first, at, status, o.latencyMillis(), response, error));
            } else if (test) {
                attempts.add(new Attempt(c.id(), "scheduled", system, next, first, at, status, o.latencyMillis(), response, error));
                timeline.schedule(tx, c.tenantId(), next, RETRY_JOB, String.valueOf(c.id()), at);
            } else {
                attempts.add(new Attempt(c.id(), "pending", next, next, first, at, status, o.latencyMillis(), response, error));
            }
        }
        store.record(tx, attempts);
        return after;
    }

    /**
     * Endpoints in id order: one that answered ends its run of failures; one that failed starts one; and one whose
     * delivery gave up after 3 days without any answer since that delivery began is disabled.
     */
    private void settle(DSLContext tx, Aftermath after) {
        if (!after.answered().isEmpty()) store.succeeded(tx, after.answered().toArray(String[]::new));
        for (Map.Entry<String, Instant> e : after.failedAt().entrySet())
            if (!after.answered().contains(e.getKey())) store.failing(tx, e.getKey(), e.getValue());
        for (GivenUp g : after.givenUp()) {
            if (after.answered().contains(g.delivery().endpointId())) continue;
            Instant failingSince = store.failing(tx, g.delivery().endpointId(), g.firstAttemptAt());
            if (failingSince != null && !failingSince.isAfter(g.firstAttemptAt())) disable(tx, g.delivery(), g.at());
        }
    }

    private void disable(DSLContext tx, Claimed c, Instant at) {
        String reason = "Every delivery failed for " + Retries.WINDOW.toDays() + " days";
        fanout.forget(c.tenantId());
        if (!store.disable(tx, c.endpointId(), reason, at)) return;
        WebhookEndpoint endpoint = store.find(tx, c.tenantId(), c.endpointId()).orElseThrow();
        events.append(tx, c.tenantId(), EventTypes.ENDPOINT_DISABLED, null, at, endpoint);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("endpoint_id", endpoint.id());
        data.put("url", endpoint.url());
        data.put("reason", reason);
        mail.endpointDisabled(tx, c.tenantId(), data, at);
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
