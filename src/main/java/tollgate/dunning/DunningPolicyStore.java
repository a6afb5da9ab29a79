package tollgate.dunning;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;
import tollgate.core.Json;
import tollgate.core.NewestFirst;

/**
 * SQL for a tenant's own dunning policies (the built-ins live in code) and the tenant's default. Every query is
 * scoped by tenant. Steps are kept as JSON text: they are read and written whole, never queried.
 */
public final class DunningPolicyStore {
    private static final String COLUMNS = "id, name, steps, created_at";

    /**
     * The stored shape of a step, apart from the API's so that the rows stay readable whatever the API becomes.
     * Actions are written by their API names ({@code retry_payment}), not the enum's.
     */
    record StoredStep(int afterDays, String action, String template, Integer backupRetentionDays) {}


    /** Answers false, writing nothing, when the tenant already has a policy of that name. */
    public boolean insert(DSLContext tx, String tenantId, DunningPolicy p) {
        // The unique (tenant, name) index decides, so that two concurrent creates of one name cannot both succeed.
        return tx.execute("insert into dunning_policies (tenant_id, " + COLUMNS + ") values (?, ?, ?, ?, ?) on conflict do nothing",
                tenantId, p.id(), p.name(), steps(p.steps()), p.createdAt()) == 1;
    }

    public Optional<DunningPolicy> find(DSLContext db, String tenantId, String id) {
        return db.fetchOptional("select " + COLUMNS + " from dunning_policies where tenant_id = ? and id = ?", tenantId, id)
                .map(DunningPolicyStore::policy);
    }

    public boolean exists(DSLContext db, String tenantId, String id) {
        return db.fetchOptional("select 1 from dunning_policies where tenant_id = ? and id = ?", tenantId, id).isPresent();
    }

    /** Newest first. */
    public List<DunningPolicy> list(DSLContext db, String tenantId, String startingAfter, int limit) {
        return NewestFirst.page(db, "select " + COLUMNS + " from dunning_policies where tenant_id = ?", List.of(tenantId),
                startingAfter, limit, DunningPolicyStore::policy);
    }

    /** The tenant's default policy (a built-in name or a policy id), or null: the built-in matching the plan's type. */
    public String tenantDefault(DSLContext db, String tenantId) {
        return db.fetchOptional("select dunning_policy from tenants where id = ?", tenantId)
                .map(r -> r.get(0, String.class)).orElse(null);
    }

    private static String steps(List<DunningStep> steps) {
        return Json.write(steps.stream()
                .map(s -> new StoredStep(s.afterDays(), s.action().wire(), s.template(), s.backupRetentionDays()))
                .toList());
    }

    private static DunningPolicy policy(Record r) {
        List<StoredStep> stored = Json.readList(r.get("steps", String.class), StoredStep.class,
                "stored dunning policy steps are not JSON");
        List<DunningStep> steps = stored.stream()
                .map(s -> new DunningStep(s.afterDays(), DunningAction.parse(s.action()).orElseThrow(
                        () -> new IllegalStateException("stored dunning step has an unknown action: " + s.action())),
                        s.template(), s.backupRetentionDays()))
                .toList();
        return new DunningPolicy(r.get("id", String.class), r.get("name", String.class), steps, false,
                r.get("created_at", Instant.class));
    }
}
