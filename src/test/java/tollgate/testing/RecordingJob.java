package tollgate.testing;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jooq.DSLContext;
import tollgate.Tollgate;
import tollgate.core.Json;
import tollgate.tenants.TenantStore;
import tollgate.timeline.Due;
import tollgate.timeline.Job;

/**
 * A job kind for tests: each run writes an event ({@code test.job_ran}) with its ref, due time and what the
 * tenant's clock read — in the job's transaction, so a run that rolls back leaves no trace, as any real
 * job's effects. Refs starting with "fail" throw. A row of {@link #KIND} left dead is followed by an event
 * ({@code test.job_dead_followed_up}, with its ref), unless its ref also contains "follow-up-fails": then that throws too.
 */
public final class RecordingJob {
    public static final String KIND = "test.record";
    /** The same job, of a kind whose rows of one instant may run side by side (as the billing run's). */
    public static final String PARALLEL_KIND = "test.record_parallel";

    /** One run: the job's ref, its due time, and the test clock during the run (null for live tenants). */
    public record Run(String ref, Instant dueAt, Instant clockDuringRun) {}

    private static final Map<Tollgate, Runs> REGISTERED = new ConcurrentHashMap<>();

    private RecordingJob() {}

    /** The runs so far, per tenant, read from the event log. */
    public static final class Runs {
        private final Tollgate app;

        Runs(Tollgate app) {
            this.app = app;
        }

        public List<Run> get(String tenantId) {
            return app.db.dsl().fetch("select data from events where tenant_id = ? and type = 'test.job_ran' order by seq", tenantId)
                    .map(r -> {
                        try {
                            var d = Json.MAPPER.readTree(r.get(0, String.class));
                            return new Run(d.get("ref").asText(), Instant.parse(d.get("due_at").asText()),
                                    d.get("clock").isNull() ? null : Instant.parse(d.get("clock").asText()));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
        }
    }

    public static synchronized Runs on(Tollgate app) {
        return REGISTERED.computeIfAbsent(app, a -> {
            TenantStore tenants = new TenantStore();
            Job record = (tx, due) -> {
                Instant clock = tenants.find(tx, due.tenantId()).orElseThrow().isTest()
                        ? tenants.readTestClock(tx, due.tenantId()) : null;
                if (due.ref().startsWith("fail")) throw new IllegalStateException("asked to fail");
                java.util.Map<String, Object> data = new java.util.HashMap<>();
                data.put("ref", due.ref());
                data.put("due_at", due.dueAt().toString());
                data.put("clock", clock == null ? null : clock.toString());
                a.events.append(tx, due.tenantId(), "test.job_ran", null, due.dueAt(), data);
            };
            a.timeline.register(KIND, Job.withOnDead(record, (tx, due) -> {
                if (due.ref().contains("follow-up-fails")) throw new IllegalStateException("asked to fail after death too");
                a.events.append(tx, due.tenantId(), "test.job_dead_followed_up", null, due.dueAt(), java.util.Map.of("ref", due.ref()));
            }));
            a.timeline.register(PARALLEL_KIND, new Job() {
                @Override
                public void run(DSLContext tx, Due due) {
                    record.run(tx, due);
                }

                @Override
                public boolean parallel() {
                    return true;
                }
            });
            return new Runs(a);
        });
    }
}
