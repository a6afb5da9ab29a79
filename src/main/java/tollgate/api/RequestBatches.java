package tollgate.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import tollgate.core.GroupCommit;
import tollgate.core.Page;
import tollgate.core.Problem;
import tollgate.idempotency.Idempotency;
import tollgate.idempotency.Idempotency.Answer;
import tollgate.tenants.Tenant;

/**
 * A tenant's concurrent requests to a route that runs them {@link Route#together together} (decision 068): each request
 * reads its order on its own thread and hands it in; one of the waiting requests' threads runs up to {@link #MOST} of
 * them in one transaction — their work with one statement per kind of row, their audit lines, and their keys' claims
 * with their answers ({@link Idempotency#runAllInOne}) — and each request then answers its own, running what its change
 * made due on a test tenant's clock after the commit, as a route in one transaction does.
 * <p>
 * A request whose key has a row already, shares a key with another in its batch, or was in a batch that lost a race
 * (a key taken meanwhile, a deadlock) runs on its own instead, by the route's own handler, with the same answer it
 * would have had; so does one whose body the route cannot read into an order (its handler refuses it).
 */
final class RequestBatches {
    /** The most requests run in one transaction. */
    static final int MOST = 64;

    private final Idempotency idempotency;
    private final DueNow dueNow;
    private final Supplier<Http.WriteHook> hook;
    private final BiFunction<Tenant, Answer, Answer> settled;
    private final int leaders;
    private final java.util.function.IntConsumer batchSizes;
    private final ConcurrentHashMap<Group, GroupCommit<Slot>> groups = new ConcurrentHashMap<>();

    /**
     * @param leaders how many batches of one tenant and route may run at once
     * @param settled a committed answer after what it made due has run (decision 028), or the same answer
     * @param batchSizes told how many requests each batch ran together (those left to run on their own aside)
     */
    RequestBatches(Idempotency idempotency, DueNow dueNow, Supplier<Http.WriteHook> hook, BiFunction<Tenant, Answer, Answer> settled,
                   int leaders, java.util.function.IntConsumer batchSizes) {
        this.batchSizes = batchSizes;
        this.idempotency = idempotency;
        this.dueNow = dueNow;
        this.hook = hook;
        this.settled = settled;
        this.leaders = leaders;
    }

    private record Group(String route, String tenantId) {}

    /** One request handed in: what it asks, and (written by its batch before it is woken) what came of it. */
    private static final class Slot {
        final Tenant tenant;
        final Object order;
        final String key;
        final String requestHash;
        final String requestId;
        final String secretKey;
        final String path;
        boolean ran;
        Answer answer;
        boolean madeDue;
        RuntimeException failure;

        Slot(Tenant tenant, Object order, String key, String requestHash, String requestId, String secretKey, String path) {
            this.tenant = tenant;
            this.order = order;
            this.key = key;
            this.requestHash = requestHash;
            this.requestId = requestId;
            this.secretKey = secretKey;
            this.path = path;
        }
    }

    /**
     * The request's answer, run together with others of its tenant; null when it must run on its own (its body is no
     * order, its key is taken or shared, its batch lost a race).
     */
    Answer run(Route route, Tenant tenant, Call call, String path, String key, byte[] raw, String requestId, String secretKey) {
        if (key != null && !Idempotency.wellFormed(key)) return null;
        Object order;
        try {
            order = route.together().order(call);
        } catch (Problem refusedAlone) {
            return null;
        }
        Slot slot = new Slot(tenant, order, key, key == null ? null : Idempotency.requestHash("POST", path, raw), requestId, secretKey, path);
        groups.computeIfAbsent(new Group(route.path(), tenant.id()),
                g -> new GroupCommit<>(MOST, leaders, slots -> runBatch(route, slots), (s, e) -> s.failure = e)).join(slot);
        if (slot.failure != null) throw slot.failure;
        if (!slot.ran) throw new IllegalStateException("a batch of requests ended without telling this one what came of it");
        Answer answer = slot.answer;
        if (answer == null || !slot.madeDue) return answer;
        Answer after = settled.apply(tenant, answer);
        if (after != answer && key != null) idempotency.keepInstead(tenant, key, after);
        return after;
    }

    private void runBatch(Route route, List<Slot> slots) {
        Tenant tenant = slots.getFirst().tenant;
        @SuppressWarnings("unchecked")
        Route.Together<Object> together = (Route.Together<Object>) route.together();
        boolean[] madeDue = {false};
        List<Idempotency.Keyed> keyed = new ArrayList<>(slots.size());
        for (Slot s : slots) keyed.add(new Idempotency.Keyed(s.key, s.requestHash));
        List<Answer> answers = idempotency.runAllInOne(tenant, keyed, run -> {
            List<Object> orders = new ArrayList<>(run.size());
            for (int i : run) orders.add(slots.get(i).order);
            List<Object> results = together.runAll(tenant, orders);
            List<Answer> out = new ArrayList<>(run.size());
            List<Http.Write> writes = new ArrayList<>(run.size());
            for (int j = 0; j < run.size(); j++) {
                Slot s = slots.get(run.get(j));
                Object result = results.get(j);
                Answer answer = result instanceof Problem p ? Http.problem(p.status(), p.code(), p.detail(), p.field(), s.requestId)
                        : new Answer(200, Http.JSON, ApiJson.write(result));
                out.add(answer);
                if (answer.status() < 300 && s.secretKey != null)
                    writes.add(new Http.Write(s.secretKey, "POST", s.path, idOf(result), answer.status()));
            }
            Http.WriteHook h = hook.get();
            if (h != null && !writes.isEmpty()) h.written(tenant, writes);
            madeDue[0] = dueNow.madeDue(tenant);
            return out;
        });
        int ranTogether = 0;
        for (Answer a : answers) if (a != null) ranTogether++;
        if (ranTogether > 0) batchSizes.accept(ranTogether);
        for (int i = 0; i < slots.size(); i++) {
            Slot s = slots.get(i);
            s.answer = answers.get(i);
            s.madeDue = madeDue[0];
            s.ran = true;
        }
    }

    /** The id the audit log names for an answer's body: a list names none; an object, its {@code id}. */
    private static String idOf(Object result) {
        if (result instanceof Page<?>) return null;
        com.fasterxml.jackson.databind.JsonNode id = ApiJson.tree(result).get("id");
        return id != null && id.isTextual() ? id.asText() : null;
    }
}
