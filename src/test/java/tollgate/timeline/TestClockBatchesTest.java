package tollgate.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.Tollgate;
import tollgate.tenants.Tenant;
import tollgate.testing.RecordingJob;
import tollgate.testing.RecordingJob.Run;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * The test clock runs the rows of one instant in batches (several at once on PostgreSQL): rows that those runs
 * schedule at the same instant, as issuing schedules an invoice's charge, still run before the clock moves on.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class TestClockBatchesTest {
    /** A job that, like issuing an invoice, schedules follow-up work (a recording job) at its own instant. */
    static final String SCHEDULES_FOLLOW_UP = "test.schedules_follow_up";
    private static final Set<Tollgate> REGISTERED = ConcurrentHashMap.newKeySet();

    @Parameter
    TestDatabase database;
    TestServer server;
    RecordingJob.Runs runs;
    Tenant tenant;

    @BeforeEach
    void tenant() {
        server = TestServer.on(database);
        runs = RecordingJob.on(server.app);
        Tollgate app = server.app;
        if (REGISTERED.add(app)) {
            app.timeline.register(SCHEDULES_FOLLOW_UP, (tx, due) ->
                    app.timeline.schedule(tx, due.tenantId(), due.dueAt(), RecordingJob.KIND, "after-" + due.ref(), due.dueAt()));
        }
        tenant = server.newTenant().tenant;
    }

    private void scheduleAll(Instant at, String kind, List<String> refs) {
        server.app.db.tx(tx -> {
            server.app.timeline.scheduleAll(tx, tenant.id(), at, kind, refs, at);
            return null;
        });
    }

    private static List<String> refs(String prefix, int n) {
        List<String> refs = new ArrayList<>();
        for (int i = 0; i < n; i++) refs.add(prefix + i);
        return refs;
    }

    @Test
    void workScheduledAtTheSameInstantByTheRowsOfThatInstantRunsBeforeTheClockMovesOn() {
        Instant start = server.app.testClock.now(tenant);
        Instant first = start.plusSeconds(86_400);
        Instant later = first.plusSeconds(3600);
        // More rows than one batch holds, so that several batches (at once, on PostgreSQL) schedule follow-ups.
        scheduleAll(first, SCHEDULES_FOLLOW_UP, refs("row-", 1_234));
        scheduleAll(later, RecordingJob.KIND, List.of("later"));

        assertThat(server.app.testClock.advance(tenant, later.plusSeconds(60))).isEqualTo(later.plusSeconds(60));

        List<Run> ran = runs.get(tenant.id());
        assertThat(ran).hasSize(1_235);
        assertThat(ran.subList(0, 1_234)).allSatisfy(r -> {
            assertThat(r.ref()).startsWith("after-row-");
            assertThat(r.dueAt()).isEqualTo(first);
            assertThat(r.clockDuringRun()).isEqualTo(first);
        });
        assertThat(ran.subList(0, 1_234)).extracting(Run::ref).doesNotHaveDuplicates();
        assertThat(ran.getLast()).isEqualTo(new Run("later", later, later));
        assertThat(server.app.db.dsl().fetchCount(server.app.db.dsl().selectFrom("timeline")
                .where("tenant_id = ? and state <> 'done' and kind in (?, ?)", tenant.id(), SCHEDULES_FOLLOW_UP, RecordingJob.KIND))).isZero();
    }

    @Test
    void runDueRunsOneKindOfRowsAndLeavesTheOthersForTheNextAdvance() {
        Instant start = server.app.testClock.now(tenant);
        Instant first = start.plusSeconds(86_400);
        scheduleAll(first, SCHEDULES_FOLLOW_UP, refs("row-", 700));
        scheduleAll(first, RecordingJob.KIND, List.of("recorded"));

        assertThat(server.app.testClock.runDue(tenant, first, SCHEDULES_FOLLOW_UP)).isEqualTo(700);

        assertThat(runs.get(tenant.id())).isEmpty();
        assertThat(server.app.testClock.now(tenant)).isEqualTo(first);
        assertThat(server.app.db.dsl().fetchCount(server.app.db.dsl().selectFrom("timeline")
                .where("tenant_id = ? and state = 'pending' and kind = ?", tenant.id(), RecordingJob.KIND))).isEqualTo(701);

        server.app.testClock.advance(tenant, first);
        assertThat(runs.get(tenant.id())).hasSize(701).allSatisfy(r -> assertThat(r.clockDuringRun()).isEqualTo(first));
    }

    @Test
    void rowsOfOrderedKindsRunInTheOrderTheyWereScheduledEvenAcrossBatches() {
        Instant at = server.app.testClock.now(tenant).plusSeconds(86_400);
        // Three batches' worth of rows whose order matters (as an invoice's dunning steps of one day): on PostgreSQL
        // they once ran as two batches at once, a later step before an earlier one.
        List<String> refs = new ArrayList<>();
        for (int i = 0; i < 1_234; i++) refs.add(String.format("step-%04d", i));
        scheduleAll(at, RecordingJob.KIND, refs);

        server.app.testClock.advance(tenant, at);

        assertThat(runs.get(tenant.id())).extracting(Run::ref).containsExactlyElementsOf(refs);
    }

    @Test
    void atOneInstantTheOrderedRowsRunBeforeTheParallelOnesWhateverTheirScheduling() {
        Instant at = server.app.testClock.now(tenant).plusSeconds(86_400);
        // Renewals (parallel, as the billing run's rows) scheduled before a suspension due at the same instant: the
        // suspension comes first, so a renewal sees it.
        scheduleAll(at, RecordingJob.PARALLEL_KIND, refs("renewal-", 1_100));
        scheduleAll(at, RecordingJob.KIND, refs("suspension-", 3));

        server.app.testClock.advance(tenant, at);

        List<String> ran = runs.get(tenant.id()).stream().map(Run::ref).toList();
        assertThat(ran).hasSize(1_103);
        assertThat(ran.subList(0, 3)).containsExactly("suspension-0", "suspension-1", "suspension-2");
        assertThat(ran.subList(3, 1_103)).containsExactlyInAnyOrderElementsOf(refs("renewal-", 1_100));
    }
}
