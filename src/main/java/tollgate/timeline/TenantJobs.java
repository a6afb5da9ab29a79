package tollgate.timeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import tollgate.tenants.Ctx;
import tollgate.tenants.Tenant;
import tollgate.tenants.TenantClock;
import tollgate.tenants.TenantDirectory;

/**
 * Registers typed jobs on the timeline: each row's tenant is looked up and its reference read once, here, before the
 * job (or its {@link Job#onDead}) runs, instead of in every job's lambda.
 */
public final class TenantJobs {
    private final Timeline timeline;
    private final TenantDirectory tenants;
    private final TenantClock clock;

    public TenantJobs(Timeline timeline, TenantDirectory tenants, TenantClock clock) {
        this.timeline = timeline;
        this.tenants = tenants;
        this.clock = clock;
    }

    public <R> void register(JobKind<R> kind, TenantJob<R> run) {
        register(kind, run, null, false);
    }

    /** {@code onDead}: what follows when one of the kind's rows dies ({@link Job#onDead}). */
    public <R> void register(JobKind<R> kind, TenantJob<R> run, TenantJob<R> onDead) {
        register(kind, run, onDead, false);
    }

    /** A kind whose rows of one instant may run side by side ({@link Job#parallel}). */
    public <R> void registerParallel(JobKind<R> kind, TenantJob<R> run, TenantJob<R> onDead) {
        register(kind, run, onDead, true);
    }

    /**
     * A parallel kind whose batches run in three steps ({@link Job#staged}); a row claimed alone (a retry) runs with
     * {@code run}, in one transaction.
     */
    public <R, P> void registerStaged(JobKind<R> kind, TenantJob<R> run, TenantJob<R> onDead, TenantStaged<R, P> staged) {
        register(kind, run, onDead, true, new Job.Staged<Map<String, P>>() {
            @Override
            public Map<String, P> prepare(DSLContext tx, List<Due> dues) {
                Map<String, P> prepared = new LinkedHashMap<>();
                byTenant(dues).forEach((tenantId, rows) -> prepared.put(tenantId, staged.prepare(ctx(tx, tenantId), refs(kind, rows))));
                return prepared;
            }

            @Override
            public void outside(Map<String, P> prepared) {
                prepared.values().forEach(staged::outside);
            }

            @Override
            public void finish(DSLContext tx, List<Due> dues, Map<String, P> prepared) {
                byTenant(dues).forEach((tenantId, rows) -> staged.finish(ctx(tx, tenantId), refs(kind, rows), prepared.get(tenantId)));
            }
        });
    }

    private static Map<String, List<Due>> byTenant(List<Due> dues) {
        Map<String, List<Due>> by = new LinkedHashMap<>();
        for (Due d : dues) by.computeIfAbsent(d.tenantId(), t -> new ArrayList<>()).add(d);
        return by;
    }

    private static <R> List<R> refs(JobKind<R> kind, List<Due> dues) {
        return dues.stream().map(d -> kind.read(d.ref())).toList();
    }

    private Ctx ctx(DSLContext tx, String tenantId) {
        Tenant tenant = tenants.find(tx, tenantId).orElseThrow();
        return new Ctx(tx, tenant, clock.now(tx, tenant));
    }

    private <R> void register(JobKind<R> kind, TenantJob<R> run, TenantJob<R> onDead, boolean parallel) {
        register(kind, run, onDead, parallel, null);
    }

    private <R> void register(JobKind<R> kind, TenantJob<R> run, TenantJob<R> onDead, boolean parallel, Job.Staged<?> staged) {
        timeline.register(kind.name(), new Job() {
            @Override
            public Job.Staged<?> staged() {
                return staged;
            }

            @Override
            public void run(DSLContext tx, Due due) {
                call(run, kind, tx, due);
            }

            @Override
            public void onDead(DSLContext tx, Due due) {
                if (onDead != null) call(onDead, kind, tx, due);
            }

            @Override
            public boolean parallel() {
                return parallel;
            }
        });
    }

    private <R> void call(TenantJob<R> job, JobKind<R> kind, DSLContext tx, Due due) {
        Tenant tenant = tenants.find(tx, due.tenantId()).orElseThrow();
        job.run(new Ctx(tx, tenant, clock.now(tx, tenant)), kind.read(due.ref()), due);
    }
}
