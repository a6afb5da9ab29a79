package tollgate.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import tollgate.core.NewestFirst;
import org.jooq.Record;
import tollgate.core.Json;

/** SQL for plans; every query is scoped by tenant. Graduated tiers are kept as JSON text. */
public final class PlanStore {
    private static final String COLUMNS = "id, name, type, currency, amount, billing_interval, included_seats, seat_amount, "
            + "unit_amount, tiers, trial_days, dunning_policy, created_at, metadata, seats_from";
    /** A lookup by the primary key, prepared on the server (decision 083). */
    private static final String FIND = tollgate.core.Database.byKey("select " + COLUMNS + " from plans where tenant_id = ? and id = ?");

    public void insert(DSLContext db, String tenantId, Plan p) {
        db.execute("insert into plans (tenant_id, " + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                tenantId, p.id(), p.name(), p.type().wire(), p.currency(), p.amount(), p.interval().wire(),
                p.includedSeats(), p.seatAmount(), p.unitAmount(), p.tiers() == null ? null : Json.write(p.tiers()),
                p.trialDays(), p.dunningPolicy(), p.createdAt(), tollgate.core.Metadata.stored(p.metadata()), p.seatsFrom());
    }

    public void setMetadata(DSLContext db, String tenantId, Plan p) {
        db.execute("update plans set metadata = ? where tenant_id = ? and id = ?", tollgate.core.Metadata.stored(p.metadata()), tenantId, p.id());
    }

    /** Reads the plan and locks its row, so that metadata changes of one plan take turns. */
    public Optional<Plan> lock(DSLContext db, String tenantId, String id) {
        return db.fetchOptional("select " + COLUMNS + " from plans where tenant_id = ? and id = ? for update", tenantId, id)
                .map(PlanStore::plan);
    }

    public Optional<Plan> find(DSLContext db, String tenantId, String id) {
        return db.fetchOptional(FIND, tenantId, id).map(PlanStore::plan);
    }

    /** Newest first. */
    public List<Plan> list(DSLContext db, String tenantId, String startingAfter, int limit) {
        return NewestFirst.page(db, "select " + COLUMNS + " from plans where tenant_id = ?", List.of(tenantId),
                startingAfter, limit, PlanStore::plan);
    }

    private static Plan plan(Record r) {
        return new Plan(r.get("id", String.class), r.get("name", String.class),
                PlanType.fromWire(r.get("type", String.class)).orElseThrow(),
                r.get("currency", String.class), r.get("amount", Long.class),
                BillingInterval.fromWire(r.get("billing_interval", String.class)).orElseThrow(),
                r.get("included_seats", Integer.class), r.get("seat_amount", Long.class), r.get("unit_amount", Long.class),
                tiers(r.get("tiers", String.class)), r.get("trial_days", Integer.class),
                r.get("dunning_policy", String.class), tollgate.core.Metadata.read(r.get("metadata", String.class)),
                r.get("created_at", Instant.class), r.get("seats_from", String.class));
    }

    private static List<Tier> tiers(String json) {
        if (json == null) return null;
        return Json.readList(json, Tier.class, "stored plan tiers are not JSON");
    }
}
