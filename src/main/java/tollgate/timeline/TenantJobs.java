package tollgate.timeline;

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

    private <R> void register(JobKind<R> kind, TenantJob<R> run, TenantJob<R> onDead, boolean parallel) {
        timeline.register(kind.name(), new Job() {
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
