package tollgate.tenants;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jooq.DSLContext;

/**
 * Every rule asks this for "now". A live tenant reads the system clock; a test tenant reads its own
 * clock, which moves only through {@code POST /v1/test_clock/advance}. Instants are kept to the millisecond.
 */
public final class TenantClock {
    private final Clock system;
    private final TenantStore store;

    private final tollgate.core.Database database;

    public TenantClock(Clock system, TenantStore store) {
        this(system, store, null);
    }

    /** With {@code database}: a test tenant's clock is read once per {@link tollgate.core.Database#inOne} transaction (decision 058). */
    public TenantClock(Clock system, TenantStore store, tollgate.core.Database database) {
        this.system = system;
        this.store = store;
        this.database = database;
    }

    public Instant now(DSLContext db, Tenant tenant) {
        if (!tenant.isTest()) return systemNow();
        if (database == null) return store.readTestClock(db, tenant.id());
        return database.once(new ClockOf(tenant.id()), () -> store.readTestClock(db, tenant.id()));
    }

    /** The key of a test tenant's clock among what one transaction read once. */
    private record ClockOf(String tenantId) {}

    /** A test tenant's clock, read. */
    public Instant readTestClock(DSLContext db, String tenantId) {
        return store.readTestClock(db, tenantId);
    }

    /** Locks a test tenant's clock (its row) for the rest of the transaction and reads it: moves take turns. */
    public Instant lockTestClock(DSLContext tx, String tenantId) {
        if (database != null) database.forget(new ClockOf(tenantId));
        return store.lockTestClock(tx, tenantId);
    }

    /** Moves a test tenant's clock, which the caller holds locked. */
    public void setTestClock(DSLContext tx, String tenantId, Instant now) {
        store.setTestClock(tx, tenantId, now);
        if (database != null) database.forget(new ClockOf(tenantId));
    }

    /** The real time; for live tenants, and for creating a test tenant whose clock starts at it. */
    public Instant systemNow() {
        return system.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
