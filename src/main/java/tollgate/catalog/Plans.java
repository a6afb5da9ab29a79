package tollgate.catalog;

import java.time.Instant;
import java.util.Optional;
import org.jooq.DSLContext;
import tollgate.core.Database;
import tollgate.core.Page;
import tollgate.core.Paging;
import tollgate.core.Problem;
import tollgate.events.EventLog;
import tollgate.tenants.Tenant;
import tollgate.tenants.TenantClock;

/** Defining plans and reading them, always within one tenant. */
public final class Plans {
    /** What the catalog asks dunning: does {@code nameOrId} name a policy this tenant may choose for a plan. */
    public interface PolicyExists {
        boolean exists(DSLContext tx, String tenantId, String nameOrId);
    }

    private final Database db;
    private final PlanStore store;
    private final TenantClock clock;
    private final EventLog events;
    private final PolicyExists policies;

    public Plans(Database db, PlanStore store, TenantClock clock, EventLog events, PolicyExists policies) {
        this.db = db;
        this.store = store;
        this.clock = clock;
        this.events = events;
        this.policies = policies;
    }

    public Plan create(Tenant tenant, PlanDraft draft) {
        return create(tenant, draft, null);
    }

    /** A plan with the tenant's {@code metadata} ({@link tollgate.core.Metadata}'s rules). */
    public Plan create(Tenant tenant, PlanDraft draft, java.util.Map<String, String> metadata) {
        return db.tx(tx -> {
            Instant now = clock.now(tx, tenant);
            Plan plan = PlanRules.define(draft, now, policy -> policies.exists(tx, tenant.id(), policy))
                    .withMetadata(tollgate.core.Metadata.of(metadata, "metadata"));
            store.insert(tx, tenant.id(), plan);
            events.append(tx, tenant.id(), "plan.created", null, now, plan);
            return plan;
        });
    }

    /** Merges {@code changes} into the plan's metadata; records {@code plan.updated} when it changed. */
    public Plan updateMetadata(Tenant tenant, String id, java.util.Map<String, String> changes) {
        return db.tx(tx -> {
            Plan before = store.lock(tx, tenant.id(), id).orElseThrow(() -> Problem.notFound("plan", id));
            Plan after = before.withMetadata(tollgate.core.Metadata.merged(before.metadata(), changes, "metadata"));
            if (after.equals(before)) return before;
            store.setMetadata(tx, tenant.id(), after);
            db.forget(new PlanOf(tenant.id(), id));
            events.append(tx, tenant.id(), "plan.updated", null, clock.now(tx, tenant), after);
            return after;
        });
    }

    /** The tenant's plan, or 404 {@code resource_missing} (also for another tenant's plan). */
    public Plan get(Tenant tenant, String id) {
        return find(db.dsl(), tenant.id(), id).orElseThrow(() -> Problem.notFound("plan", id));
    }

    /** The tenant's plan read in the caller's transaction, for capabilities that price or sell it. */
    public Optional<Plan> find(DSLContext tx, String tenantId, String id) {
        // A subscription's request asks for its plan three times (the signup, its first charge, its e-mail): read once
        // per request's transaction (decision 058). The only change to a plan, its metadata, forgets it.
        return db.once(new PlanOf(tenantId, id), () -> store.find(tx, tenantId, id));
    }

    /** The key of a plan among what one transaction read once. */
    private record PlanOf(String tenantId, String id) {}

    public Page<Plan> list(Tenant tenant, Paging paging) {
        return Page.of(store.list(db.dsl(), tenant.id(), paging.startingAfter(), paging.fetchSize()), paging.limit());
    }
}
