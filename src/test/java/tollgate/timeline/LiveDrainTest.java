package tollgate.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.Config;
import tollgate.Tollgate;
import tollgate.tenants.Tenant;
import tollgate.testing.TestClocks;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * Decision 043: the live worker claims an instant's rows in batches with SKIP LOCKED, so two server processes on one
 * database (two {@link Tollgate}s here, their background workers not started) share them and each row runs once; a
 * worker told to stop finishes its batch and leaves the rows it had not claimed to the other.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class LiveDrainTest {
    private static final String PARALLEL = "test.shared_parallel";
    private static final String ORDERED = "test.shared_ordered";

    @Parameter
    TestDatabase database;

    private final List<Tollgate> nodes = new ArrayList<>();
    /** Every run of every node, by ref; and which node ran how many. */
    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicInteger> byNode = new ConcurrentHashMap<>();
    /** The ordered rows as they ran, per node. */
    private final Map<Integer, List<String>> orderedByNode = new ConcurrentHashMap<>();

    @AfterEach
    void close() {
        nodes.forEach(Tollgate::close);
    }

    /** Two nodes on one fresh database, each with the test's job kinds; the first has migrated it. */
    private List<Tollgate> twoNodes(long millisPerRow) {
        Config config = TestServer.config(database.freshUrl(), TestServer.GENEROUS);
        for (int n = 0; n < 2; n++) {
            Tollgate app = Tollgate.build(config, TestClocks.SYSTEM);
            app.awaitMigrations();
            int node = n;
            byNode.put(node, new AtomicInteger());
            orderedByNode.put(node, java.util.Collections.synchronizedList(new ArrayList<>()));
            app.timeline.register(PARALLEL, new Job() {
                @Override
                public void run(DSLContext tx, Due due) {
                    ran(node, due, millisPerRow);
                }

                @Override
                public boolean parallel() {
                    return true;
                }
            });
            app.timeline.register(ORDERED, (tx, due) -> {
                ran(node, due, 0);
                orderedByNode.get(node).add(due.ref());
            });
            nodes.add(app);
        }
        return nodes;
    }

    /** Told to stop by node 0's first run (as SIGTERM closes its worker while it runs a batch). */
    private volatile LiveDrain stopOnRun;

    private void ran(int node, Due due, long millis) {
        LiveDrain stop = stopOnRun;
        if (stop != null && node == 0) stop.stop();
        runs.computeIfAbsent(due.ref(), r -> new AtomicInteger()).incrementAndGet();
        byNode.get(node).incrementAndGet();
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static final String STAGED = "test.shared_staged";

    /**
     * A staged kind on each node: its first step commits, its gateway-like middle step blocks on node 0 until
     * {@code gateway} opens, and its last step (or a row's single run, which takes up what the first left) is counted.
     */
    private void registerStaged(CountDownLatch inTheMiddle, CountDownLatch gateway, Map<String, AtomicInteger> finished) {
        for (int n = 0; n < nodes.size(); n++) {
            int node = n;
            nodes.get(n).timeline.register(STAGED, new Job() {
                @Override
                public void run(DSLContext tx, Due due) {
                    finished.computeIfAbsent(due.ref(), r -> new AtomicInteger()).incrementAndGet();
                }

                @Override
                public boolean parallel() {
                    return true;
                }

                @Override
                public Staged<?> staged() {
                    return new Staged<List<Due>>() {
                        @Override
                        public List<Due> prepare(DSLContext tx, List<Due> dues) {
                            return dues;
                        }

                        @Override
                        public void outside(List<Due> prepared) {
                            if (node != 0) return;
                            inTheMiddle.countDown();
                            try {
                                gateway.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }

                        @Override
                        public void finish(DSLContext tx, List<Due> dues, List<Due> prepared) {
                            for (Due due : dues) finished.computeIfAbsent(due.ref(), r -> new AtomicInteger()).incrementAndGet();
                        }
                    };
                }
            });
        }
    }

    static Tenant liveTenant(Tollgate app) {
        return app.tenants.create("Live", Tenant.Mode.LIVE).tenant();
    }

    static void schedule(Tollgate app, Tenant tenant, Instant at, String kind, String prefix, int count) {
        List<String> refs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) refs.add(prefix + i);
        app.db.tx(tx -> {
            app.timeline.scheduleAll(tx, tenant.id(), at, kind, refs, at);
            return null;
        });
    }

    private static long rows(Tollgate app, Tenant tenant, String state) {
        return app.db.dsl().fetchOne("select count(*) from timeline where tenant_id = ? and state = ? and kind like 'test.%'", tenant.id(), state)
                .get(0, Long.class);
    }

    @Test
    void twoNodesShareOneInstantsRowsAndEachRowRunsOnce() throws Exception {
        List<Tollgate> apps = twoNodes(2);
        Tenant tenant = liveTenant(apps.get(0));
        Instant first = TestClocks.now().minusSeconds(60);
        int parallelRows = 3000;
        int orderedRows = 40;
        schedule(apps.get(0), tenant, first, ORDERED, "ordered-", orderedRows);
        schedule(apps.get(0), tenant, first, PARALLEL, "parallel-", parallelRows);
        // A second instant, a millisecond later: its rows come after the first's on each node.
        schedule(apps.get(0), tenant, first.plusMillis(1), PARALLEL, "later-", 600);

        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> drained = new ArrayList<>();
        Instant now = TestClocks.now();
        // Each node as its background worker: a drain, and again 50 ms later (a worker ticks every second), until
        // nothing is pending. A node that meets rows the other holds leaves them to it and comes back on its next tick.
        for (Tollgate app : apps) {
            drained.add(pool.submit(() -> {
                go.await();
                int ran = 0;
                while (rows(app, tenant, "pending") > 0) {
                    ran += app.timeline.drainLive(now);
                    Thread.sleep(50);
                }
                return ran;
            }));
        }
        go.countDown();
        int total = 0;
        for (Future<Integer> f : drained) total += f.get();
        pool.shutdown();

        int expected = parallelRows + orderedRows + 600;
        System.out.printf("rows run by node 0: %d, by node 1: %d%n", byNode.get(0).get(), byNode.get(1).get());
        assertThat(runs).hasSize(expected);
        assertThat(runs.values()).allSatisfy(n -> assertThat(n.get()).as("each row ran once").isEqualTo(1));
        assertThat(total).isEqualTo(expected);
        assertThat(rows(apps.get(0), tenant, "done")).isEqualTo(expected);
        assertThat(rows(apps.get(0), tenant, "pending")).isZero();
        assertThat(byNode.get(0).get()).as("node 0 took part").isPositive();
        assertThat(byNode.get(1).get()).as("node 1 took part").isPositive();
        // Within a node, the ordered rows ran in the order they were scheduled.
        for (List<String> seen : orderedByNode.values()) {
            List<Integer> numbers = seen.stream().map(r -> Integer.parseInt(r.substring("ordered-".length()))).toList();
            assertThat(numbers).isSorted();
        }
    }

    @Test
    void aStoppedWorkerFinishesItsBatchAndLeavesTheRestToTheOtherNode() {
        List<Tollgate> apps = twoNodes(0);
        Tenant tenant = liveTenant(apps.get(0));
        Instant first = TestClocks.now().minusSeconds(60);
        int count = 3 * LiveDrain.BATCH;
        schedule(apps.get(0), tenant, first, PARALLEL, "row-", count);

        // Node 0 is told to stop (as SIGTERM closes its worker) while it runs its first batch.
        LiveDrain stopping = new LiveDrain(apps.get(0).db, new TimelineStore(), apps.get(0).timeline, 1);
        stopOnRun = stopping;
        Instant now = TestClocks.now();
        int ranByStopping = stopping.drain(() -> now);

        assertThat(ranByStopping).as("the batch in its hands, no more").isEqualTo(LiveDrain.BATCH);
        assertThat(rows(apps.get(0), tenant, "done")).isEqualTo(LiveDrain.BATCH);
        assertThat(rows(apps.get(0), tenant, "pending")).as("left for the next node").isEqualTo(count - LiveDrain.BATCH);

        int ranByOther = apps.get(1).timeline.drainLive(now);
        assertThat(ranByOther).isEqualTo(count - LiveDrain.BATCH);
        assertThat(runs).hasSize(count);
        assertThat(runs.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        assertThat(rows(apps.get(0), tenant, "pending")).isZero();
    }

    @Test
    void aStagedBatchCutOffByTheStopIsReleasedForTheNextNodeAtOnceAndFinishedOnce() throws Exception {
        List<Tollgate> apps = twoNodes(0);
        CountDownLatch inTheMiddle = new CountDownLatch(1);
        CountDownLatch gateway = new CountDownLatch(1);
        Map<String, AtomicInteger> finished = new ConcurrentHashMap<>();
        registerStaged(inTheMiddle, gateway, finished);
        Tenant tenant = liveTenant(apps.get(0));
        Instant first = TestClocks.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.MICROS); // as stored
        schedule(apps.get(0), tenant, first, STAGED, "charge-", 5);
        Instant now = TestClocks.now();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            // Node 0 claims the batch, commits its first step and waits on the "gateway", past its stop's bound. One
            // worker: with several, one whose claim was still under way would meet the released rows (the stop fences
            // that claim, StopFencesClaimsTest, but its rows are locked until its transaction ends).
            LiveDrain cutOffDrain = new LiveDrain(apps.get(0).db, new TimelineStore(), apps.get(0).timeline, 1);
            Future<Integer> cutOff = pool.submit(() -> cutOffDrain.drain(() -> now));
            assertThat(inTheMiddle.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(apps.get(1).timeline.drainLive(now)).as("leased: the next node cannot take them yet").isZero();

            // One row has since been given a retry's delay (as the one-by-one fallback would): the release leaves it be.
            Instant retryAt = now.plusSeconds(300).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
            apps.get(0).db.dsl().execute("update timeline set run_at = ? where tenant_id = ? and kind = ? and ref = 'charge-4'",
                    retryAt, tenant.id(), STAGED);
            // The stop, as Tollgate.close makes it: the worker claims no more, then what it left unfinished is released.
            cutOffDrain.stop();
            assertThat(apps.get(0).timeline.releaseUnfinished()).isEqualTo(4);
            assertThat(apps.get(0).db.dsl().fetch("select run_at from timeline where tenant_id = ? and kind = ? and state = 'pending' "
                    + "order by ref", tenant.id(), STAGED).getValues(0, Instant.class)).as("run_at as claimed, the delayed one kept")
                    .containsExactly(first, first, first, first, retryAt);
            assertThat(apps.get(1).timeline.drainLive(now)).as("taken up by the next node at once").isEqualTo(4);

            gateway.countDown(); // node 0's last step comes after all: it finds 4 rows done and finishes the fifth
            cutOff.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(finished).hasSize(5);
            assertThat(finished.values()).allSatisfy(n -> assertThat(n.get()).as("finished once").isEqualTo(1));
            assertThat(rows(apps.get(0), tenant, "done")).isEqualTo(5);
            assertThat(apps.get(0).timeline.releaseUnfinished()).as("nothing left unfinished").isZero();
        } finally {
            gateway.countDown();
            pool.shutdownNow();
        }
    }
}
