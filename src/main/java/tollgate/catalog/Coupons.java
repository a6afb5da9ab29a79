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

/** Creating coupons and reading them, always within one tenant. */
public final class Coupons {
    private final Database db;
    private final CouponStore store;
    private final TenantClock clock;
    private final EventLog events;

    public Coupons(Database db, CouponStore store, TenantClock clock, EventLog events) {
        this.db = db;
        this.store = store;
        this.clock = clock;
        this.events = events;
    }

    public Coupon create(Tenant tenant, CouponDraft draft) {
        return db.tx(tx -> {
            Instant now = clock.now(tx, tenant);
            Coupon coupon = CouponRules.create(draft, now);
            store.insert(tx, tenant.id(), coupon);
            events.append(tx, tenant.id(), "coupon.created", null, now, coupon);
            return coupon;
        });
    }

    /** The tenant's coupon, or 404 {@code resource_missing} (also for another tenant's coupon). */
    public Coupon get(Tenant tenant, String id) {
        return find(db.dsl(), tenant.id(), id).orElseThrow(() -> Problem.notFound("coupon", id));
    }

    /** The tenant's coupon read in the caller's transaction, for subscriptions that apply it. */
    public Optional<Coupon> find(DSLContext tx, String tenantId, String id) {
        return store.find(tx, tenantId, id);
    }

    public Page<Coupon> list(Tenant tenant, Paging paging) {
        return Page.of(store.list(db.dsl(), tenant.id(), paging.startingAfter(), paging.fetchSize()), paging.limit());
    }
}
