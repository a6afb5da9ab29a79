package tollgate.testing;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import tollgate.Tollgate;
import tollgate.tenants.TenantStore;

/** A job kind for tests: records, per tenant, each run's ref and what the tenant's clock read while it ran. */
public final class RecordingJob {
    public static final String KIND = "test.record";

    /** One run: the job's ref, its due time, and the test clock during the run. */
    public record Run(String ref, Instant dueAt, Instant clockDuringRun) {}

    private static final Map<Tollgate, Map<String, List<Run>>> RUNS = new ConcurrentHashMap<>();

    private RecordingJob() {}

    public static synchronized Map<String, List<Run>> on(Tollgate app) {
        return RUNS.computeIfAbsent(app, a -> {
            Map<String, List<Run>> byTenant = new ConcurrentHashMap<>();
            TenantStore tenants = new TenantStore();
            a.timeline.register(KIND, (tx, due) -> {
                Instant clock = tenants.find(tx, due.tenantId()).orElseThrow().isTest()
                        ? tenants.readTestClock(tx, due.tenantId()) : null;
                if (due.ref().startsWith("fail")) throw new IllegalStateException("asked to fail");
                byTenant.computeIfAbsent(due.tenantId(), t -> new CopyOnWriteArrayList<>())
                        .add(new Run(due.ref(), due.dueAt(), clock));
            });
            return byTenant;
        });
    }
}
