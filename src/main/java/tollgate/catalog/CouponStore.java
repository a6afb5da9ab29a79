package tollgate.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import tollgate.core.NewestFirst;
import org.jooq.Record;

/** SQL for coupons; every query is scoped by tenant. */
public final class CouponStore {
    private static final String COLUMNS = "id, name, percent_off, amount_off, currency, duration, duration_in_months, created_at";

    public void insert(DSLContext db, String tenantId, Coupon c) {
        db.execute("insert into coupons (tenant_id, " + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                tenantId, c.id(), c.name(), c.percentOff(), c.amountOff(), c.currency(), c.duration().wire(),
                c.durationInMonths(), c.createdAt());
    }

    public Optional<Coupon> find(DSLContext db, String tenantId, String id) {
        return db.fetchOptional("select " + COLUMNS + " from coupons where tenant_id = ? and id = ?", tenantId, id)
                .map(CouponStore::coupon);
    }

    /** Newest first. */
    public List<Coupon> list(DSLContext db, String tenantId, String startingAfter, int limit) {
        return NewestFirst.page(db, "select " + COLUMNS + " from coupons where tenant_id = ?", List.of(tenantId),
                startingAfter, limit, CouponStore::coupon);
    }

    private static Coupon coupon(Record r) {
        return new Coupon(r.get("id", String.class), r.get("name", String.class), r.get("percent_off", java.math.BigDecimal.class),
                r.get("amount_off", Long.class), r.get("currency", String.class),
                CouponDuration.fromWire(r.get("duration", String.class)).orElseThrow(),
                r.get("duration_in_months", Integer.class), r.get("created_at", Instant.class));
    }
}
