package tollgate.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Callable;
import org.jooq.DSLContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tollgate.Tollgate;
import tollgate.bench.Seeding;
import tollgate.billing.BillingSchedule;
import tollgate.catalog.PlanDraft;
import tollgate.licensing.LicenseCharges;
import tollgate.payments.Payments;
import tollgate.tenants.Tenant;

/**
 * {@code tollgate bench live-month}: a live month's end as a server runs it (decision 043). N accounts of a LIVE
 * tenant with M licenses each and a sandbox card, seeded in bulk the day before; then this process's clock is put two
 * seconds before the 1st and the server's own background worker ({@code LiveDrain}) does the rest: the billing rows,
 * and the first charge of every invoice they issue. Timed from the 1st until every invoice is issued and its first
 * charge round has run. The clock is this process's own ({@link Tollgate#build} takes one): no setting of a real
 * server moves its clock.
 */
@Command(name = "live-month", description = "Invoice and charge one month of a live tenant with N accounts, as the server's worker does, and report the times.")
final class LiveMonthBench implements Callable<Integer> {
    @Option(names = "--accounts", defaultValue = "100000")
    int accounts;

    @Option(names = "--licenses-per-account", defaultValue = "10")
    int licensesPerAccount;

    @Option(names = "--timeout-seconds", defaultValue = "1800", description = "Give up after this long (default 1800).")
    int timeoutSeconds;

    /** The real clock moved by an offset that the bench sets: the day before the 1st, then just before it. */
    private static final class MovedClock extends Clock {
        private final Clock system = Clock.systemUTC();
        private volatile Duration offset = Duration.ZERO;

        void set(Instant now) {
            offset = Duration.between(system.instant(), now);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return system.instant().plus(offset);
        }
    }

    @Override
    public Integer call() throws Exception {
        MovedClock clock = new MovedClock();
        Instant first = LicenseCharges.nextFirstOfMonth(clock.system.instant(), ZoneId.of("UTC"));
        clock.set(first.minus(Duration.ofDays(1)));
        try (Tollgate app = Tollgate.build(Cli.config(), clock)) {
            app.awaitMigrations();
            Tenant tenant = app.tenants.create("Live month bench", Tenant.Mode.LIVE).tenant();
            String plan = app.plans.create(tenant,
                    new PlanDraft("Bench license", "license", "usd", 900L, null, null, null, null, null, null, null)).id();
            long t0 = System.nanoTime();
            Instant seededAt = clock.instant();
            List<String> ids = Seeding.licensedAccounts(app, tenant, plan, accounts, licensesPerAccount, seededAt);
            Seeding.visaCards(app, tenant, ids, seededAt);
            DSLContext db = app.db.dsl();
            if (app.db.dialect().family() == org.jooq.SQLDialect.POSTGRES) {
                db.execute("vacuum (analyze) accounts, licenses, timeline, payment_methods");
                try {
                    db.execute("checkpoint");
                } catch (org.jooq.exception.DataAccessException e) {
                    System.out.println("(no checkpoint after seeding: " + e.getMessage() + ")");
                }
            }
            System.out.printf("seeded %d live accounts × %d licenses, each with a sandbox card, in %.1f s%n", accounts, licensesPerAccount,
                    (System.nanoTime() - t0) / 1e9);

            System.gc();
            long heapBefore = usedHeapMiB();
            clock.set(first.minusSeconds(2));
            app.start(0); // the server's background workers, the live timeline worker among them
            long wallAtFirst = System.nanoTime() + 2_000_000_000L;
            System.out.println("clock set 2 s before " + first + "; the server's worker runs the month's end");
            long invoicesDoneAt = 0;
            long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
            long peak = 0;
            // Polled every 250 ms for what is left, not for what is done: one probe of the tenant's pending rows due by
            // the 1st's day. Counting every done row and invoice each time took 8-10 s of PostgreSQL's CPU from a 100,000-account
            // run on its 2 cores (docs/BENCHMARKS.md, stop 25). A billing row is done in the transaction that
            // issues its invoice and schedules its first charge, so none left means every invoice is issued; the counts
            // after the loop check that every account was invoiced and charged once.
            Instant dayAfter = first.plus(Duration.ofDays(1));
            while (true) {
                Thread.sleep(250);
                peak = Math.max(peak, usedHeapMiB());
                // Once none is left none comes back (a done row stays done; next month's rows are due after dayAfter).
                boolean billing = invoicesDoneAt == 0 && left(db, tenant.id(), BillingSchedule.JOB, dayAfter);
                if (invoicesDoneAt == 0 && !billing) invoicesDoneAt = System.nanoTime();
                if (!billing && !left(db, tenant.id(), Payments.CHARGE_JOB, dayAfter)) break;
                if (System.nanoTime() > deadline) {
                    System.out.printf("gave up after %d s: %d invoices, %d first charges run, %d billing rows done%n", timeoutSeconds,
                            count(db, "select count(*) from invoices where tenant_id = ?", tenant.id()),
                            done(db, tenant.id(), Payments.CHARGE_JOB), done(db, tenant.id(), BillingSchedule.JOB));
                    return 1;
                }
            }
            long end = System.nanoTime();
            double total = (end - wallAtFirst) / 1e9;
            double invoicing = (invoicesDoneAt - wallAtFirst) / 1e9;
            long invoices = count(db, "select count(*) from invoices where tenant_id = ?", tenant.id());
            long paid = count(db, "select count(*) from invoices where tenant_id = ? and status = 'paid'", tenant.id());
            long attempts = count(db, "select count(*) from payment_attempts where tenant_id = ?", tenant.id());
            long ledger = count(db, "select count(*) from sandbox_charges s join payment_attempts a on a.idempotency_key = s.idempotency_key "
                    + "where a.tenant_id = ?", tenant.id());
            var span = db.fetchOne("select min(created_at), max(resolved_at) from payment_attempts where tenant_id = ?", tenant.id());
            double charging = Duration.between(span.get(0, Instant.class), span.get(1, Instant.class)).toMillis() / 1000.0;
            long billed = done(db, tenant.id(), BillingSchedule.JOB);
            long charged = done(db, tenant.id(), Payments.CHARGE_JOB);
            if (invoices < accounts || billed < accounts || charged < invoices) {
                System.out.printf("not finished: %d invoices, %d billing rows and %d first charges done (a row died?)%n", invoices, billed, charged);
                return 1;
            }
            System.gc();
            long heapAfter = usedHeapMiB();
            System.out.printf("live month-end: %d invoices issued %.1f s after the 1st (%.0f invoices/s); every first charge round run "
                    + "%.1f s after the 1st%n", invoices, invoicing, invoices / invoicing, total);
            System.out.printf("charges: %d attempts, %d in the sandbox's ledger, %d invoices paid; first attempt written to last answer "
                    + "%.1f s (%.0f charge rounds/s, overlapping the invoicing)%n", attempts, ledger, paid, charging, attempts / charging);
            System.out.printf("heap after GC: %d MiB before, %d MiB after; highest sampled during the run %d MiB%n", heapBefore, heapAfter, peak);
        }
        return 0;
    }

    /** Whether the tenant has a pending row of {@code kind} due (and to run) before {@code before}: the month-end's work left. */
    private static boolean left(DSLContext db, String tenantId, String kind, Instant before) {
        return db.fetchOne("select exists (select 1 from timeline where tenant_id = ? and state = 'pending' and run_at < ? "
                + "and kind = ? and due_at < ?)", tenantId, before, kind, before).get(0, Boolean.class);
    }

    private static long done(DSLContext db, String tenantId, String kind) {
        return count(db, "select count(*) from timeline where tenant_id = ? and kind = ? and state = 'done'", tenantId, kind);
    }

    private static long count(DSLContext db, String sql, Object... args) {
        return db.fetchOne(sql, args).get(0, Long.class);
    }

    private static long usedHeapMiB() {
        Runtime r = Runtime.getRuntime();
        return (r.totalMemory() - r.freeMemory()) / (1024 * 1024);
    }
}
