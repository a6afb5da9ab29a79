package tollgate.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.Config;
import tollgate.Tollgate;
import tollgate.bench.Seeding;
import tollgate.catalog.PlanDraft;
import tollgate.charges.Charges;
import tollgate.core.Database;
import tollgate.licensing.LicenseCharges;
import tollgate.tenants.Tenant;
import tollgate.testing.TestClocks;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * SPEC §4: however often the billing run runs, crashes or runs on several nodes at once, an account gets
 * exactly one invoice per billing date — and the invoice numbers stay gapless.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class ExactlyOnceTest {
    @Parameter
    TestDatabase database;

    private static String licensePlan(Tollgate app, Tenant tenant) {
        return app.plans.create(tenant, new PlanDraft("Jetpack", "license", "usd", 900L, null, null, null, null, null, null, null)).id();
    }

    /** Every account has exactly one invoice for {@code billingDate}, numbered INV-000001 … without gaps. */
    private static void assertOneInvoiceEach(DSLContext db, Tenant tenant, List<String> accounts, Instant billingDate) {
        for (String account : accounts) {
            assertThat(db.fetchCount(db.selectFrom("invoices").where("tenant_id = ? and account_id = ? and billing_date = ?",
                    tenant.id(), account, billingDate))).as(account).isEqualTo(1);
        }
        List<String> numbers = db.fetch("select number from invoices where tenant_id = ? order by number", tenant.id()).getValues(0, String.class);
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= accounts.size(); i++) expected.add(String.format("INV-%06d", i));
        assertThat(numbers).containsExactlyElementsOf(expected);
    }

    @Test
    void runningTheSameBillingInstantTwiceWritesOneInvoice() {
        TestServer server = TestServer.on(database);
        Tollgate app = server.app;
        Tenant tenant = app.tenants.create("Twice", Tenant.Mode.TEST).tenant();
        Instant start = app.testClock.now(tenant);
        List<String> accounts = Seeding.licensedAccounts(app, tenant, licensePlan(app, tenant), 3, 2, start);
        Instant first = LicenseCharges.nextFirstOfMonth(start, ZoneId.of("UTC"));
        app.testClock.advance(tenant, first);
        // The run at the same instant again (as after a retry): it finds the invoice and leaves the account alone.
        for (String account : accounts) {
            app.db.tx(tx -> {
                app.billing.run(new tollgate.tenants.Ctx(tx, tenant, first), account);
                app.billing.runAccounts(new tollgate.tenants.Ctx(tx, tenant, first), List.of(account));
                return null;
            });
        }
        // Billing "now" at an instant already invoiced asks only the sources that bill what is owed by their own state
        // (decision 022): the licenses, billed once per 1st, are not asked again, and nothing else is owed: no invoice,
        // and no row a millisecond later either.
        app.db.tx(tx -> {
            app.billing.billNow(new tollgate.tenants.Ctx(tx, tenant, first), accounts.get(0));
            return null;
        });
        assertThat(app.db.dsl().fetchCount(app.db.dsl().selectFrom("timeline").where("tenant_id = ? and ref = ? and due_at > ?",
                tenant.id(), accounts.get(0), first).and("due_at < ?", first.plusSeconds(60)))).isZero();
        app.testClock.advance(tenant, first.plusSeconds(60));
        assertOneInvoiceEach(app.db.dsl(), tenant, accounts, first);
    }

    @Test
    void aBillingRowThatFailsIsRetriedForItsOwnBillingDateAndTheNextMonthIsStillBilled() {
        TestServer server = TestServer.on(database);
        Tollgate app = server.app;
        Tenant tenant = app.tenants.create("Blip", Tenant.Mode.TEST).tenant();
        Instant start = app.testClock.now(tenant);
        List<String> accounts = Seeding.licensedAccounts(app, tenant, licensePlan(app, tenant), 2, 1, start);
        String unlucky = accounts.get(0);
        // Two failures (a database blip, a deadlock): the batch, then its row run alone; the row is retried a minute on.
        AtomicInteger failures = new AtomicInteger();
        app.billing.addSource((ctx, account) -> {
            if (account.id().equals(unlucky) && failures.getAndIncrement() < 2) throw new IllegalStateException("a blip");
            return Charges.NONE;
        });
        Instant first = LicenseCharges.nextFirstOfMonth(start, ZoneId.of("UTC"));
        Instant second = LicenseCharges.nextFirstOfMonth(first.plusSeconds(86_400), ZoneId.of("UTC"));

        app.testClock.advance(tenant, second.plusSeconds(3600));

        assertThat(failures.get()).isGreaterThanOrEqualTo(2);
        DSLContext db = app.db.dsl();
        for (String account : accounts) {
            // Billed for the 1st itself (not the minute of the retry), with its license's line, and again a month on.
            assertThat(db.fetch("select billing_date from invoices where tenant_id = ? and account_id = ? order by billing_date",
                    tenant.id(), account).getValues(0, Instant.class)).as(account).containsExactly(first, second);
            assertThat(db.fetchCount(db.selectFrom("invoice_lines").where("tenant_id = ? and invoice_id in "
                    + "(select id from invoices where account_id = ?)", tenant.id(), account))).as(account).isEqualTo(2);
        }
    }

    @Test
    void twoServerProcessesRunningAtOnceWriteOneInvoicePerAccount() throws Exception {
        // Two nodes on a database of their own, both with a clock that stands at "now" (the run's clock, read once):
        // no background worker and no tick of the real time can bill a second 1st, whatever day the tests run on.
        Instant now = TestClocks.now();
        Clock standing = Clock.fixed(now, ZoneOffset.UTC);
        Config config = TestServer.config(database.freshUrl(), TestServer.GENEROUS);
        // A live tenant's licenses issued ten days before the last 1st: exactly one billing date has passed.
        Instant billingDate = now.atZone(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant issued = billingDate.minus(Duration.ofDays(10));
        try (Tollgate first = Tollgate.build(config, standing); Tollgate second = Tollgate.build(config, standing)) {
            Tenant tenant = first.tenants.create("Two nodes", Tenant.Mode.LIVE).tenant();
            List<String> accounts = Seeding.licensedAccounts(first, tenant, licensePlan(first, tenant), 60, 3, issued);
            assertThat(LicenseCharges.nextFirstOfMonth(issued, ZoneId.of("UTC"))).isEqualTo(billingDate);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> ran = new ArrayList<>();
            for (Tollgate node : List.of(first, second, first, second)) {
                ran.add(pool.submit(() -> {
                    go.await();
                    return node.timeline.drainLive(now);
                }));
            }
            go.countDown();
            for (Future<Integer> f : ran) f.get(120, TimeUnit.SECONDS);
            pool.shutdown();
            assertOneInvoiceEach(first.db.dsl(), tenant, accounts, billingDate);
        }
    }

    @Test
    void aProcessKilledHalfWayThroughTheRunLeavesOneInvoicePerAccountAfterTheRestart() throws Exception {
        Path dir = Files.createTempDirectory("tollgate-crash");
        // H2: a file database that a second process may open too (AUTO_SERVER); PostgreSQL: a schema of its own.
        String url = database == TestDatabase.H2 ? Database.h2FileUrl(dir).replace(";DB_CLOSE_ON_EXIT=FALSE", ";AUTO_SERVER=TRUE") : database.freshUrl();
        Config config = TestServer.config(url, TestServer.GENEROUS);
        Tenant tenant;
        List<String> accounts;
        Instant billingDate;
        try (Tollgate app = Tollgate.build(config, TestClocks.SYSTEM)) {
            tenant = app.tenants.create("Crash", Tenant.Mode.TEST).tenant();
            Instant start = app.testClock.now(tenant);
            accounts = Seeding.licensedAccounts(app, tenant, licensePlan(app, tenant), 1200, 2, start);
            billingDate = LicenseCharges.nextFirstOfMonth(start, ZoneId.of("UTC"));
        }
        // A second JVM runs the billing run and is killed (SIGKILL) once some invoices are committed.
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dtollgate.test.now=" + TestClocks.now(), "-cp", System.getProperty("java.class.path"), CrashingRun.class.getName(),
                url, config.encryptionKey(), tenant.id(), billingDate.plusSeconds(60).toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        try (Database watcher = Database.open(url, null, null, 1)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline && child.isAlive()
                    && watcher.dsl().fetchCount(watcher.dsl().selectFrom("invoices").where("tenant_id = ?", tenant.id())) < 500) {
                Thread.sleep(20);
            }
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            int written = watcher.dsl().fetchCount(watcher.dsl().selectFrom("invoices").where("tenant_id = ?", tenant.id()));
            assertThat(written).as("the child was killed half-way, see " + dir.resolve("child.log")).isBetween(1, accounts.size() - 1);
        }
        try (Tollgate restarted = Tollgate.build(config, TestClocks.SYSTEM)) {
            restarted.testClock.advance(restarted.tenants.get(tenant.id()), billingDate.plusSeconds(60));
            assertOneInvoiceEach(restarted.db.dsl(), tenant, accounts, billingDate);
        }
    }

    /** The child process of the crash test: advance the tenant's clock (billing everything) until killed. */
    public static final class CrashingRun {
        public static void main(String[] args) {
            Config config = TestServer.config(args[0], TestServer.GENEROUS).withEncryptionKey(args[1]);
            try (Tollgate app = Tollgate.build(config, TestClocks.SYSTEM)) {
                app.testClock.advance(app.tenants.get(args[2]), Instant.parse(args[3]));
            }
        }
    }
}
