package tollgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tollgate.core.Problem;
import tollgate.tenants.Tenant;

/**
 * Issue #10 1.5, decision 028: after a test tenant's request has changed something and committed, whatever that made
 * due by the tenant's clock (an invoice's charge, a dunning step) runs before the answer is written, and the answer is
 * the resource read again. Live tenants are left to their worker, which polls every second.
 */
public final class DueNow {
    private static final Logger log = LoggerFactory.getLogger(DueNow.class);

    /** Runs the tenant's rows due at or before its clock; answers how many ran (0 for a live tenant). */
    @FunctionalInterface
    public interface Runner {
        int runDueNow(Tenant tenant);
    }

    /**
     * Asked inside a request's one transaction (decision 055), after its work: whether the work scheduled anything of
     * the test tenant at or before its clock. When not, nothing needs running after the commit (decision 058).
     */
    @FunctionalInterface
    public interface Scheduled {
        boolean madeDue(Tenant tenant);
    }

    private final Runner runner;
    private final Scheduled scheduled;
    /** How to read a resource again, by its {@code object}. */
    private final Map<String, BiFunction<Tenant, String, ?>> readers;

    public DueNow(Runner runner, Map<String, BiFunction<Tenant, String, ?>> readers) {
        this(runner, tenant -> true, readers);
    }

    public DueNow(Runner runner, Scheduled scheduled, Map<String, BiFunction<Tenant, String, ?>> readers) {
        this.runner = runner;
        this.scheduled = scheduled;
        this.readers = Map.copyOf(readers);
    }

    /** {@link Scheduled#madeDue} for a test tenant; false for a live one (its worker runs what is due). */
    boolean madeDue(Tenant tenant) {
        return tenant != null && tenant.isTest() && scheduled.madeDue(tenant);
    }

    /**
     * Runs a test tenant's rows due by its clock; answers whether any ran. A failure leaves them pending for the next
     * request or advance: what made them due has committed, so the caller answers it all the same.
     */
    public boolean run(Tenant tenant) {
        if (tenant == null || !tenant.isTest()) return false;
        try {
            return runner.runDueNow(tenant) > 0;
        } catch (RuntimeException e) {
            log.warn("work due now failed; it stays pending for the next request or advance", e);
            return false;
        }
    }

    /**
     * Runs what is due and answers {@code result}, or the resource it shows read again when something ran. A failure
     * here leaves the rows pending for the next request or advance: the change itself has committed, so it is answered.
     */
    Object settle(Tenant tenant, Object result) {
        if (!run(tenant)) return result;
        if (result instanceof Reply reply)
            return reply.contentType() == null ? Reply.json(reply.status(), reread(tenant, reply.body())) : reply;
        return reread(tenant, result);
    }

    private Object reread(Tenant tenant, Object shown) {
        if (shown == null) return null;
        JsonNode json = ApiJson.tree(shown);
        // A deletion's answer ({id, object, deleted}) has nothing left to read.
        if (!json.isObject() || json.has("deleted") || !json.path("id").isTextual()) return shown;
        BiFunction<Tenant, String, ?> reader = readers.get(json.path("object").asText());
        if (reader == null) return shown;
        try {
            return reader.apply(tenant, json.get("id").asText());
        } catch (Problem gone) {
            return shown;
        }
    }
}
