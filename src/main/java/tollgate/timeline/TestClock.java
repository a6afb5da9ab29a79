package tollgate.timeline;

import java.time.Instant;
import org.jooq.DSLContext;
import tollgate.core.Database;
import tollgate.core.Problem;
import tollgate.tenants.Tenant;
import tollgate.tenants.TenantStore;

/**
 * {@code POST /v1/test_clock/advance}: runs a test tenant's due work in {@code due_at} order, the clock set
 * to each row's time before it runs, then leaves the clock at the target. Each step locks the tenant's row,
 * so two advances of one tenant take turns.
 */
public final class TestClock {
    private final Database db;
    private final TenantStore tenants;
    private final TimelineStore store;
    private final Timeline timeline;

    public TestClock(Database db, TenantStore tenants, TimelineStore store, Timeline timeline) {
        this.db = db;
        this.tenants = tenants;
        this.store = store;
        this.timeline = timeline;
    }

    public Instant now(Tenant tenant) {
        requireTestMode(tenant);
        return tenants.readTestClock(db.dsl(), tenant.id());
    }

    public Instant advance(Tenant tenant, Instant to) {
        requireTestMode(tenant);
        Instant start = db.tx(tx -> tenants.lockTestClock(tx, tenant.id()));
        if (to.isBefore(start))
            throw new Problem(422, "clock_in_past", "The test clock is at " + start + "; it cannot go back to " + to, "to");
        while (timeline.runBatch(tx -> claim(tx, tenant, to), (tx, due) -> moveTo(tx, tenant, due.dueAt())) > 0) {
            // each iteration ran the rows due at one instant (up to BATCH of them) in one transaction
        }
        return db.tx(tx -> moveTo(tx, tenant, to));
    }

    /**
     * Runs the tenant's due rows of one {@code kind} up to {@code to} as {@link #advance} runs them (in due order, the
     * clock set to each row's time), leaving rows of other kinds for a later advance and the clock at the last row's
     * time; answers how many ran. The billing benchmark times the invoicing with it, apart from the work that issuing
     * schedules at the same instant (charges).
     */
    public int runDue(Tenant tenant, Instant to, String kind) {
        requireTestMode(tenant);
        int ran = 0;
        for (int n; (n = timeline.runBatch(tx -> claim(tx, tenant, to, kind), (tx, due) -> moveTo(tx, tenant, due.dueAt()))) > 0; ) ran += n;
        return ran;
    }

    private java.util.List<Due> claim(DSLContext tx, Tenant tenant, Instant to) {
        return claim(tx, tenant, to, null);
    }

    private java.util.List<Due> claim(DSLContext tx, Tenant tenant, Instant to, String kind) {
        tenants.lockTestClock(tx, tenant.id());
        return store.claimBatch(tx, tenant.id(), to, BATCH, kind);
    }

    /** How many rows due at one instant run in one transaction. */
    static final int BATCH = 500;

    /** Moves the clock forward to {@code at} (never back) and answers the clock's time. */
    private Instant moveTo(DSLContext tx, Tenant tenant, Instant at) {
        Instant now = tenants.lockTestClock(tx, tenant.id());
        if (at.isAfter(now)) {
            tenants.setTestClock(tx, tenant.id(), at);
            return at;
        }
        return now;
    }

    private static void requireTestMode(Tenant tenant) {
        if (!tenant.isTest())
            throw new Problem(403, "test_clock_unavailable", "Live tenants read the system clock; only test tenants have a test clock", null);
    }
}
