package tollgate.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.RecordingJob;
import tollgate.testing.RecordingJob.Run;
import tollgate.testing.TestClocks;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/** ENGINEERING "Future work is data": workers claim due rows with SKIP LOCKED; each row runs exactly once. */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class TimelineWorkersTest {
    @Parameter
    TestDatabase database;

    @Test
    void concurrentWorkersRunEachDueRowExactlyOnce() throws Exception {
        TestServer server = TestServer.on(database);
        RecordingJob.Runs runs = RecordingJob.on(server.app);
        ApiClient live = server.newLiveTenant();
        Instant past = TestClocks.now().minusSeconds(3600);
        int jobs = 200;
        server.app.db.tx(tx -> {
            for (int i = 0; i < jobs; i++)
                server.app.timeline.schedule(tx, live.tenant.id(), past.plusMillis(i), RecordingJob.KIND, "job-" + i, past);
            return null;
        });

        int workers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> counts = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            counts.add(pool.submit(() -> {
                go.await();
                return server.app.timeline.drainLive(TestClocks.now());
            }));
        }
        go.countDown();
        int total = 0;
        for (Future<Integer> f : counts) total += f.get();
        pool.shutdown();

        // The background worker may have taken some rows too, and may still be committing its last one.
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline && runs.get(live.tenant.id()).size() < jobs) Thread.sleep(20);
        // Together every row ran exactly once.
        List<String> refs = runs.get(live.tenant.id()).stream().map(Run::ref).toList();
        assertThat(refs).hasSize(jobs).doesNotHaveDuplicates();
        assertThat(total).isLessThanOrEqualTo(jobs);
        assertThat(server.app.db.dsl().fetchCount(server.app.db.dsl().selectFrom("timeline")
                .where("tenant_id = ? and state = 'done' and kind = ?", live.tenant.id(), RecordingJob.KIND))).isEqualTo(jobs);
    }

    @Test
    void schedulingTheSameJobTwiceKeepsOneRow() {
        TestServer server = TestServer.on(database);
        RecordingJob.on(server.app);
        ApiClient api = server.newTenant();
        Instant at = Instant.parse("2031-01-01T00:00:00Z");
        for (int i = 0; i < 3; i++) {
            server.app.db.tx(tx -> {
                server.app.timeline.schedule(tx, api.tenant.id(), at, RecordingJob.KIND, "dup", at);
                return null;
            });
        }
        assertThat(server.app.db.dsl().fetchCount(server.app.db.dsl().selectFrom("timeline")
                .where("tenant_id = ? and ref = 'dup'", api.tenant.id()))).isEqualTo(1);
    }
}
