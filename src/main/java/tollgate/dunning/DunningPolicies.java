package tollgate.dunning;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import tollgate.catalog.PlanType;
import tollgate.core.Database;
import tollgate.core.Page;
import tollgate.core.Paging;
import tollgate.core.Problem;
import tollgate.events.EventLog;
import tollgate.tenants.Tenant;
import tollgate.tenants.TenantClock;

/**
 * A tenant's dunning policies: the two built-ins every tenant has, and its own. Defining, listing and reading them
 * for the API; {@link #resolve} and {@link #defaultFor} for the dunning engine, which picks an invoice's policy.
 */
public final class DunningPolicies implements PolicyBook {
    private final Database db;
    private final DunningPolicyStore store;
    private final TenantClock clock;
    private final EventLog events;

    public DunningPolicies(Database db, DunningPolicyStore store, TenantClock clock, EventLog events) {
        this.db = db;
        this.store = store;
        this.clock = clock;
        this.events = events;
    }

    /** Defines a policy of the tenant's own; 409 {@code policy_name_taken} when it already has one of that name. */
    public DunningPolicy create(Tenant tenant, DunningPolicyRules.Draft draft) {
        return db.tx(tx -> {
            Instant now = clock.now(tx, tenant);
            DunningPolicy policy = DunningPolicyRules.define(draft, now);
            if (!store.insert(tx, tenant.id(), policy))
                throw Problem.conflict("policy_name_taken", "A dunning policy named '" + policy.name() + "' exists already");
            events.append(tx, tenant.id(), "dunning_policy.created", null, now, policy);
            return policy;
        });
    }

    /** A built-in by its name or one of the tenant's own by id; 404 {@code resource_missing} otherwise (also another tenant's). */
    public DunningPolicy get(Tenant tenant, String nameOrId) {
        return resolve(db.dsl(), tenant.id(), nameOrId)
                .orElseThrow(() -> Problem.notFound("dunning policy", nameOrId));
    }

    /**
     * The built-ins first (in {@link BuiltInPolicies#ALL}'s order), then the tenant's own, newest first, as one list:
     * {@code starting_after} may name a built-in (the page goes on with the next built-in, then the tenant's own) or
     * one of the tenant's policies.
     */
    public Page<DunningPolicy> list(Tenant tenant, Paging paging) {
        String after = paging.startingAfter();
        Optional<DunningPolicy> afterBuiltIn = after == null ? Optional.empty() : BuiltInPolicies.named(after);
        boolean afterOwn = after != null && afterBuiltIn.isEmpty();
        List<DunningPolicy> rows = new ArrayList<>(paging.fetchSize());
        if (!afterOwn) {
            int first = afterBuiltIn.map(p -> BuiltInPolicies.ALL.indexOf(p) + 1).orElse(0);
            for (DunningPolicy p : BuiltInPolicies.ALL.subList(first, BuiltInPolicies.ALL.size()))
                if (rows.size() < paging.fetchSize()) rows.add(p);
        }
        int wanted = paging.fetchSize() - rows.size();
        if (wanted > 0) rows.addAll(store.list(db.dsl(), tenant.id(), afterOwn ? after : null, wanted));
        return Page.of(rows, paging.limit());
    }

    /** The policy a plan or the tenant names: a built-in by name, or one of the tenant's own by id. */
    @Override
    public Optional<DunningPolicy> resolve(DSLContext tx, String tenantId, String nameOrId) {
        if (nameOrId == null) return Optional.empty();
        Optional<DunningPolicy> builtIn = BuiltInPolicies.named(nameOrId);
        return builtIn.isPresent() ? builtIn : store.find(tx, tenantId, nameOrId);
    }

    /** Whether {@code nameOrId} names a policy this tenant may choose (for plans and the tenant's default). */
    public boolean exists(DSLContext tx, String tenantId, String nameOrId) {
        if (nameOrId == null) return false;
        return BuiltInPolicies.named(nameOrId).isPresent() || store.exists(tx, tenantId, nameOrId);
    }

    /**
     * The policy for an invoice whose plan names none: the tenant's default when it has set one, else the built-in
     * of the plan's kind (license plans {@code licenses_default}; flat, seats and usage plans {@code hosting_default}).
     */
    @Override
    public String defaultFor(DSLContext tx, String tenantId, PlanType planType) {
        String chosen = store.tenantDefault(tx, tenantId);
        if (chosen != null) return chosen;
        return planType == PlanType.LICENSE ? BuiltInPolicies.LICENSES_DEFAULT : BuiltInPolicies.HOSTING_DEFAULT;
    }
}
