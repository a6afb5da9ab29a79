package tollgate.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import tollgate.Tollgate;
import tollgate.tenants.Tenant;
import tollgate.testing.TestClocks;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * A claim still under way when its worker is told to stop keeps nothing. A stopping server releases the rows it left
 * unfinished for the next node (decision 062) after telling its live worker to stop; a claim of that worker whose
 * statement ends after the release would otherwise lease those rows again for ten minutes. CI met it once in
 * {@code LiveDrainTest}, where one of node 0's workers claimed the released rows. PostgreSQL only: the claim is held
 * mid-statement by a table lock, and H2 runs a node's batches one at a time.
 */
@EnabledIfEnvironmentVariable(named = TestDatabase.ENV, matches = ".+")
class StopFencesClaimsTest {
    private static final String KIND = "test.fenced";

    @Test
    void aClaimThatEndsAfterTheStopKeepsNothingAndRunsNothing() throws Exception {
        String url = TestDatabase.POSTGRES.freshUrl();
        try (Tollgate app = Tollgate.build(TestServer.config(url, TestServer.GENEROUS), TestClocks.SYSTEM)) {
            app.awaitMigrations();
            AtomicInteger ran = new AtomicInteger();
            app.timeline.register(KIND, new Job() {
                @Override
                public void run(DSLContext tx, Due due) {
                    ran.incrementAndGet();
                }

                @Override
                public boolean parallel() {
                    return true;
                }
            });
            Tenant tenant = LiveDrainTest.liveTenant(app);
            Instant first = TestClocks.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
            LiveDrainTest.schedule(app, tenant, first, KIND, "row-", 3);
            Instant now = TestClocks.now();
            LiveDrain stopping = new LiveDrain(app.db, new TimelineStore(), app.timeline, 1);
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try (Connection holder = DriverManager.getConnection(url); Statement s = holder.createStatement()) {
                // Reads pass an EXCLUSIVE table lock; the claim's FOR UPDATE waits behind it, mid-statement.
                holder.setAutoCommit(false);
                s.execute("lock table timeline in exclusive mode");
                int holderPid;
                try (ResultSet r = s.executeQuery("select pg_backend_pid()")) {
                    r.next();
                    holderPid = r.getInt(1);
                }
                Future<Integer> drained = pool.submit(() -> stopping.drain(() -> now));
                awaitClaimWaiting(url, holderPid, drained);

                stopping.stop();
                holder.commit(); // the claim's statement ends now, after the stop
                assertThat(drained.get(30, TimeUnit.SECONDS)).as("rows run by the stopped worker").isZero();
            } finally {
                pool.shutdownNow();
            }
            assertThat(ran).as("jobs run").hasValue(0);
            assertThat(app.db.dsl().fetch("select run_at from timeline where tenant_id = ? and kind = ? and state = 'pending' order by ref",
                    tenant.id(), KIND).getValues(0, Instant.class)).as("pending, not leased").containsExactly(first, first, first);

            // They were there to be claimed: a worker that was not stopped takes them at once.
            assertThat(new LiveDrain(app.db, new TimelineStore(), app.timeline, 1).drain(() -> now)).isEqualTo(3);
            assertThat(ran).hasValue(3);
        }
    }

    /**
     * Until a backend's claim on the timeline waits behind {@code holderPid}'s lock. Looked at from a connection of its
     * own, outside a transaction: PostgreSQL keeps one view of pg_stat_activity per transaction.
     */
    private static void awaitClaimWaiting(String url, int holderPid, Future<Integer> drained) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20); System.nanoTime() < deadline; Thread.sleep(20)) {
                if (drained.isDone()) throw new AssertionError("the drain ended before its claim waited: " + drained.get());
                try (ResultSet r = s.executeQuery("select count(*) from pg_stat_activity where " + holderPid + " = any(pg_blocking_pids(pid)) "
                        + "and query like '%from timeline%for update skip locked%'")) {
                    r.next();
                    if (r.getInt(1) > 0) return;
                }
            }
        }
        throw new AssertionError("no claim waited on the table lock within 20 s");
    }
}
