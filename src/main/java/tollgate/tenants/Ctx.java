package tollgate.tenants;

import java.time.Instant;
import org.jooq.DSLContext;

/**
 * What travels with every internal call (decision 038): the open transaction, the tenant it works for and the
 * tenant's instant. Made once per transaction or job (a request handler's transaction, a timeline job, a billing
 * batch) and passed down; never stored in a field.
 */
public record Ctx(DSLContext tx, Tenant tenant, Instant now) {
    /**
     * For a read outside any job or write (an API listing, a page): the same record without an instant, as those
     * reads ask no clock; {@code now()} is null there, and a method that needs it is never reached this way.
     */
    public static Ctx withoutClock(DSLContext tx, Tenant tenant) {
        return new Ctx(tx, tenant, null);
    }

    public String tenantId() {
        return tenant.id();
    }

    /** The same transaction and tenant at another instant (a billing instant the run catches up on). */
    public Ctx at(Instant instant) {
        return instant.equals(now) ? this : new Ctx(tx, tenant, instant);
    }
}
