package tollgate.dunning;

import java.util.Optional;
import org.jooq.DSLContext;
import tollgate.catalog.PlanType;

/** Where the dunning engine finds policies: the built-ins and the tenant's own, and which one applies by default. */
public interface PolicyBook {
    /** A built-in by name or one of the tenant's policies by id. */
    Optional<DunningPolicy> resolve(DSLContext db, String tenantId, String nameOrId);

    /** The tenant's default policy, else the built-in for the plan type ({@code planType} null: no plan on the invoice). */
    String defaultFor(DSLContext db, String tenantId, PlanType planType);
}
