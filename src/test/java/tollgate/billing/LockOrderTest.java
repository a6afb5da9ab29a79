package tollgate.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tollgate.charges.ChargeSource;
import tollgate.charges.Charges;
import tollgate.tenants.Tenant;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.Fixtures;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * Decision 010's lock order on PostgreSQL: two writers that meet on one account wait for each other instead of
 * deadlocking (a deadlock's victim would be answered 503, or its timeline batch run again). Each test stops one writer
 * while it holds its locks — a real one with a hook in its transaction, or a transaction of the test that takes its
 * locks in the order of the writer it stands for — starts the other, waits until the database says it is waiting for
 * the first, and lets the first go on.
 */
class LockOrderTest {
    private static TestServer.Client server;
    private static final Pause billingPause = new Pause();
    private static final Pause roundPause = new Pause();

    private ApiClient api;
    private ExecutorService threads;

    @BeforeAll
    static void start() {
        assumeTrue(TestDatabase.available().contains(TestDatabase.POSTGRES), "PostgreSQL only: H2 runs batches one by one");
        server = TestServer.start(TestDatabase.POSTGRES, config -> config);
        // Added after the real sources and listeners: the run (or round) stops once they have taken their locks.
        server.app().billing.addSource(new ChargeSource() {
            @Override
            public Charges dueAt(tollgate.tenants.Ctx ctx, Account account) {
                return Charges.NONE;
            }

            @Override
            public Map<String, Charges> dueAtAll(tollgate.tenants.Ctx ctx, List<Account> accounts) {
                billingPause.here(ctx.tx(), ctx.tenant());
                return Map.of();
            }
        });
        server.app().payments.onRound((ctx, round) -> roundPause.here(ctx.tx(), ctx.tenant()));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @BeforeEach
    void tenant() {
        api = server.newTenant(Tenant.Mode.TEST);
        server.app().db.tx(tx -> {
            tx.execute("update tenants set clock_now = ? where id = ?", Instant.parse("2030-01-04T09:00:00Z"), api.tenant.id());
            tx.execute("delete from timeline where tenant_id = ? and kind = 'idempotency.purge'", api.tenant.id());
            return null;
        });
        threads = Executors.newVirtualThreadPerTaskExecutor();
    }

    @AfterEach
    void stopThreads() {
        if (threads != null) threads.shutdownNow();
    }

    @Test
    void aSeatChangeDuringTheBillingRunOfItsAccountWaitsForTheRunInsteadOfDeadlocking() throws Exception {
        String account = api.newPayingAccount("Agency", "usd", "UTC");
        String plan = ok(api.post("/v1/plans", "{\"name\":\"Agency\",\"type\":\"seats\",\"currency\":\"usd\",\"amount\":4900,"
                + "\"included_seats\":5,\"seat_amount\":800}")).str("id");
        String sub = ok(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\",\"seats\":7}")).str("id");

        // The renewal on Feb 4 stops once the subscriptions source has locked the subscription.
        billingPause.arm(api.tenant);
        Future<Res> run = threads.submit(() -> api.post("/v1/test_clock/advance", "{\"to\":\"2030-02-04T09:00:00Z\"}"));
        int billing = billingPause.reached();
        Future<Res> seats = threads.submit(() -> api.post("/v1/subscriptions/" + sub, "{\"seats\":10}"));
        waitUntilBlockedBy(billing, seats);
        billingPause.release();

        assertThat(seats.get(30, TimeUnit.SECONDS)).satisfies(r -> assertThat(r.status()).as(r.toString()).isEqualTo(200));
        ok(run.get(30, TimeUnit.SECONDS));
        assertThat(api.get("/v1/subscriptions/" + sub).json().get("seats").asInt()).isEqualTo(10);
        assertThat(api.get("/v1/accounts/" + account + "/invoices").json().get("data")).hasSize(2);
        assertNoTimelineFailures();
    }

    @Test
    void twoPaymentsOfAnAccountsLastPastDueInvoicesAtOnceEndItsDunning() throws Exception {
        String account = api.newAccount("No card", "usd", "UTC");
        String hosting = Fixtures.flatPlan(api, "usd");
        // Sent to be paid and due at once (without a card only send_invoice may be had): both invoices past due at once.
        String wire = "\"collection_method\":\"send_invoice\",\"days_until_due\":0";
        String sub1 = ok(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + hosting + "\"," + wire + "}")).str("id");
        String sub2 = ok(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + hosting + "\"," + wire + "}")).str("id");
        // Two invoices, both at the signups' instant (the second on the instant's next invoice, decision 022).
        ok(api.post("/v1/test_clock/advance", "{\"to\":\"2030-01-04T09:01:00Z\"}"));
        List<String> invoices = new java.util.ArrayList<>();
        api.get("/v1/accounts/" + account + "/invoices").json().get("data").forEach(i -> invoices.add(i.get("id").asText()));
        assertThat(invoices).hasSize(2);
        assertThat(status(sub1)).isEqualTo("past_due");
        assertThat(status(sub2)).isEqualTo("past_due");

        // The first payment stops after dunning has looked at the account's other invoice (still open, so it goes on).
        roundPause.arm(api.tenant);
        Future<Res> first = threads.submit(() -> pay(invoices.get(0)));
        int paying = roundPause.reached();
        Future<Res> second = threads.submit(() -> pay(invoices.get(1)));
        waitUntilBlockedBy(paying, second);
        roundPause.release();

        ok(first.get(30, TimeUnit.SECONDS));
        ok(second.get(30, TimeUnit.SECONDS));
        // Whichever came second saw the other paid: nothing of the account is past due, so dunning ended.
        assertThat(status(sub1)).isEqualTo("active");
        assertThat(status(sub2)).isEqualTo("active");
        assertThat(api.get("/v1/accounts/" + account + "/entitlements").json().get("past_due_invoices")).isEmpty();
    }

    @Test
    void aUsageBatchNamingSeveralAccountsLocksTheirSubscriptionsInTheBillingRunsOrder() throws Exception {
        String requests = ok(api.post("/v1/plans", "{\"name\":\"Requests\",\"type\":\"usage\",\"currency\":\"usd\",\"unit_amount\":2}")).str("id");
        String first = api.newPayingAccount("First", "usd", "UTC");
        Thread.sleep(2); // ids begin with their creation millisecond: the second account's id is the higher
        String second = api.newPayingAccount("Second", "usd", "UTC");
        // The second account subscribes first, so its subscription's id is the lower: id order is not account order.
        String secondSub = ok(api.post("/v1/accounts/" + second + "/subscriptions", "{\"plan\":\"" + requests + "\"}")).str("id");
        Thread.sleep(2);
        String firstSub = ok(api.post("/v1/accounts/" + first + "/subscriptions", "{\"plan\":\"" + requests + "\"}")).str("id");
        assertThat(first).isLessThan(second);
        assertThat(secondSub).isLessThan(firstSub);

        // The billing run's order at the end of both cycles: both accounts, then the first's subscription, then the second's.
        try (Held run = new Held()) {
            run.lock("select id from accounts where id in ('" + first + "', '" + second + "') order by id for update");
            run.lock("select id from subscriptions where id = '" + firstSub + "' for update");
            Future<Res> batch = threads.submit(() -> api.post("/v1/usage_events/batch", "{\"events\":["
                    + "{\"id\":\"e1\",\"subscription\":\"" + firstSub + "\",\"quantity\":3},"
                    + "{\"id\":\"e2\",\"subscription\":\"" + secondSub + "\",\"quantity\":4}]}"));
            waitUntilBlockedBy(run.pid, batch);
            run.lock("select id from subscriptions where id = '" + secondSub + "' for update");
            run.commit();
            Res r = batch.get(30, TimeUnit.SECONDS);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.json().get("accepted").asInt()).isEqualTo(2);
        }
    }

    @Test
    void revokingABundlesLicenseWhileDunningRevokesTheAccountsLicensesWaitsForIt() throws Exception {
        String account = api.newPayingAccount("Bundled", "usd", "UTC");
        String plan = Fixtures.licensePlan(api, "usd", 900);
        Res bundle = ok(api.post("/v1/accounts/" + account + "/bundles", "{\"plan\":\"" + plan + "\",\"size\":2}"));
        String license = bundle.json().get("licenses").get(0).get("id").asText();

        // revoke_all_licenses' order: the account (blocking new licenses), then its bundles.
        try (Held dunning = new Held()) {
            dunning.lock("select id from accounts where id = '" + account + "' for update");
            Future<Res> revoke = threads.submit(() -> api.post("/v1/licenses/" + license + "/revoke", ""));
            waitUntilBlockedBy(dunning.pid, revoke);
            dunning.lock("select id from bundles where account_id = '" + account + "' for update");
            dunning.commit();
            Res r = revoke.get(30, TimeUnit.SECONDS);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
        }
        // The bundle was refilled: two live licenses again.
        assertThat(api.get("/v1/bundles/" + bundle.str("id")).json().get("licenses").findValuesAsText("status"))
                .containsExactlyInAnyOrder("revoked", "unassigned", "unassigned");
    }

    // ---- helpers ----

    private Res pay(String invoice) {
        Res amount = ok(api.get("/v1/invoices/" + invoice));
        return api.post("/v1/invoices/" + invoice + "/record_payment",
                "{\"amount\":" + amount.json().get("amount_due").asLong() + ",\"method\":\"wire\",\"reference\":\"TRF-1\"}");
    }

    private String status(String sub) {
        return ok(api.get("/v1/subscriptions/" + sub)).str("status");
    }

    private static Res ok(Res r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r;
    }

    private void assertNoTimelineFailures() {
        DSLContext db = server.app().db.dsl();
        assertThat(db.fetch("select kind, ref, last_error from timeline where tenant_id = ? and last_error is not null",
                api.tenant.id())).isEmpty();
    }

    /**
     * Waits until the database shows a session waiting for a lock that session {@code holder} holds — the other
     * writer has come to its first lock in common — or until that writer is done (it met none).
     */
    private static void waitUntilBlockedBy(int holder, Future<?> other) throws InterruptedException {
        DSLContext db = server.app().db.dsl();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!other.isDone()) {
            if (db.fetchOne("select count(*) from pg_stat_activity where wait_event_type = 'Lock' "
                    + "and ? = any(pg_blocking_pids(pid))", holder).get(0, Integer.class) > 0) return;
            if (System.nanoTime() > deadline) throw new AssertionError("the second writer neither waited nor finished");
            Thread.sleep(10);
        }
    }

    /** A hook inside a writer's transaction: armed for one tenant, it stops the next transaction there until released. */
    static final class Pause {
        private volatile String tenantId;
        private volatile CountDownLatch reached;
        private volatile CountDownLatch release;
        private volatile int pid;

        void arm(Tenant tenant) {
            reached = new CountDownLatch(1);
            release = new CountDownLatch(1);
            tenantId = tenant.id();
        }

        void here(DSLContext tx, Tenant tenant) {
            if (!tenant.id().equals(tenantId)) return;
            tenantId = null;
            pid = tx.fetchOne("select pg_backend_pid()").get(0, Integer.class);
            reached.countDown();
            try {
                if (!release.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** Waits until the writer stops; answers its database session. */
        int reached() throws InterruptedException {
            if (!reached.await(60, TimeUnit.SECONDS)) throw new AssertionError("the writer never came to the pause");
            return pid;
        }

        void release() {
            release.countDown();
        }
    }

    /** A transaction of the test that takes locks in the order of the writer it stands for. */
    static final class Held implements AutoCloseable {
        final Connection c;
        final int pid;

        Held() throws SQLException {
            c = server.app().db.dataSource().getConnection();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement(); var rs = s.executeQuery("select pg_backend_pid()")) {
                rs.next();
                pid = rs.getInt(1);
            }
        }

        void lock(String sql) throws SQLException {
            try (Statement s = c.createStatement()) {
                s.executeQuery(sql).close();
            }
        }

        void commit() throws SQLException {
            c.commit();
        }

        @Override
        public void close() throws SQLException {
            c.rollback();
            c.close();
        }
    }
}
