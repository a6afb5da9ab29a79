package tollgate.catalog;

import java.util.Optional;
import org.jooq.DSLContext;

/** A tenant's plan by id, inside the caller's transaction: what dunning and mailings ask the catalog. */
@FunctionalInterface
public interface PlanLookup {
    Optional<Plan> find(DSLContext tx, String tenantId, String planId);
}
