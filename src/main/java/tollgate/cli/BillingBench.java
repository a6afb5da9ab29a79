package tollgate.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;
import org.jooq.DSLContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tollgate.Tollgate;
import tollgate.billing.BillingSchedule;
import tollgate.licensing.LicenseCharges;
import tollgate.catalog.PlanDraft;
import tollgate.bench.Seeding;
import tollgate.tenants.Tenant;

/**
 * {@code tollgate bench billing}: N accounts with M licenses each, all issued on one day, then the test clock
 * is advanced to the 1st and the run invoices the month. Seeding writes rows in bulk (it is not what is measured);
 * the billing rows run through the same batches as {@code POST /v1/test_clock/advance}. What is timed is the
 * invoicing ({@code billing.run} rows); work that issuing schedules at the same instant (charges) is run and
 * timed after it.
 */
@Command(name = "billing", description = "Invoice one month of licenses for N accounts and report the time and memory.")
final class BillingBench implements Callable<Integer> {
    @Option(names = "--accounts", defaultValue = "100000")
    int accounts;

    @Option(names = "--licenses-per-account", defaultValue = "10")
    int licensesPerAccount;

    @Option(names = "--seed-only", description = "Seed, print the tenant's id and stop (to copy the database as a template).")
    boolean seedOnly;

    @Option(names = "--tenant", description = "Bill this tenant, seeded earlier with --seed-only, instead of seeding one.")
    String tenantId;

    @Option(names = "--webhook", description = "Before the run, subscribe an endpoint to every event (a receiver in this "
            + "process, on loopback), deliver while the run goes on, and report when the last delivery was done.")
    boolean webhook;

    @Option(names = "--serve", description = "Start the server's background workers (as --webhook does) without an endpoint.")
    boolean serve;

    @Option(names = "--floor-detail", description = "After the database floor, time the same server-side insert of the run's "
            + "events, notifications and timeline rows (where the rest of the database's time goes).")
    boolean floorDetail;

    @Option(names = "--invoicing-only", description = "Stop after the invoicing (and the deliveries): skip the charges.")
    boolean invoicingOnly;

    @Override
    public Integer call() throws Exception {
        try (Tollgate app = Tollgate.build(Cli.config(), Clock.systemUTC())) {
            Tenant tenant = tenantId != null ? app.tenants.get(tenantId) : seed(app);
            if (seedOnly) {
                System.out.println("seeded tenant " + tenant.id());
                return 0;
            }
            LocalReceiver receiver = webhook ? new LocalReceiver() : null;
            if (serve && !webhook) app.start(0);
            if (webhook) {
                app.start(0); // the delivery workers run beside the billing run, as they would in a server
                app.webhooks.create(tenant, new tollgate.webhooks.EndpointRules.Draft(receiver.url(), List.of("*"), "bench", null));
            }
            Instant start = app.testClock.now(tenant);
            Instant first = LicenseCharges.nextFirstOfMonth(start, ZoneId.of("UTC"));
            app.testClock.advance(tenant, first.minusMillis(1)); // whatever came due before the 1st (daily idempotency purges)
            DSLContext db = app.db.dsl();
            System.out.println("invoicing the billing rows due at " + first);
            System.gc();
            resetPeaks();
            long cpu0 = processCpuNanos();
            long t1 = System.nanoTime();
            // The invoicing alone: the billing rows due on the 1st. Issuing may schedule other work at the same instant
            // (charging each open invoice); that runs in the second step and is reported apart.
            int billed = app.testClock.runDue(tenant, first, BillingSchedule.JOB);
            double seconds = (System.nanoTime() - t1) / 1e9;
            double cpu = (processCpuNanos() - cpu0) / 1e9;
            long peak = peakHeapMiB();
            long invoices = db.fetchOne("select count(*) from invoices where tenant_id = ?", tenant.id()).get(0, Long.class);
            long lines = db.fetchOne("select count(*) from invoice_lines l join invoices i on i.id = l.invoice_id where i.tenant_id = ?",
                    tenant.id()).get(0, Long.class);
            System.out.printf("billing run: %d billing rows, %d invoices, %d lines in %.1f s (%.0f invoices/s); JVM CPU %.1f s; "
                    + "peak heap after the run started: %d MiB%n", billed, invoices, lines, seconds, invoices / seconds, cpu, peak);
            if (app.db.dialect().family() == org.jooq.SQLDialect.POSTGRES) {
                settle(db); // each floor starts as the run did: statistics fresh, the run's writes checkpointed
                double series = seriesFloor(app, tenant, first, invoices, lines);
                System.out.printf("database floor (issue 15's measure): %d invoices and %d lines made by insert … select … from "
                        + "generate_series, shaped as the run's, inserted by PostgreSQL itself in %.2f s; the run took %.1f× that%n",
                        invoices, lines, series, seconds / series);
                settle(db);
                double floor = databaseFloor(app, tenant, first);
                System.out.printf("database floor (the run's own rows copied): the same %d invoices and %d lines inserted by "
                        + "PostgreSQL itself in %.2f s; the run took %.1f× that%n", invoices, lines, floor, seconds / floor);
                if (floorDetail) {
                    System.out.println("the same server-side insert of the run's other rows:");
                    otherRows(app, tenant, first);
                }
            }

            if (webhook) {
                long end = System.nanoTime();
                long total = deliveries(db, tenant, null);
                long atEnd = total - deliveries(db, tenant, "delivered");
                while (deliveries(db, tenant, "pending") > 0) Thread.sleep(100);
                System.out.printf("webhooks: %d deliveries (%d not yet delivered when the run ended), the last delivered %.1f s after "
                        + "the run's end; receiver counted %d%n", total, atEnd, (System.nanoTime() - end) / 1e9, receiver.received.get());
                receiver.close();
            }
            if (invoicingOnly) return 0;
            long t2 = System.nanoTime();
            long before = doneRows(db, tenant);
            app.testClock.advance(tenant, first.plusSeconds(3600));
            System.out.printf("then the rest due by %s (charges and the like): %d timeline rows in %.1f s%n", first.plusSeconds(3600),
                    doneRows(db, tenant) - before, (System.nanoTime() - t2) / 1e9);
        }
        return 0;
    }

    private Tenant seed(Tollgate app) {
        Tenant tenant = app.tenants.create("Billing bench", Tenant.Mode.TEST).tenant();
        String plan = app.plans.create(tenant,
                new PlanDraft("Bench license", "license", "usd", 900L, null, null, null, null, null, null, null)).id();
        long t0 = System.nanoTime();
        Seeding.licensedAccounts(app, tenant, plan, accounts, licensesPerAccount, app.testClock.now(tenant));
        if (app.db.dialect().family() == org.jooq.SQLDialect.POSTGRES) settle(app.db.dsl());
        System.out.printf("seeded %d accounts × %d licenses in %.1f s%n", accounts, licensesPerAccount, (System.nanoTime() - t0) / 1e9);
        return tenant;
    }

    /**
     * What autovacuum and the checkpointer would have done long before a real month's end, so that the run is not
     * charged with the seeding's leftovers: statistics (without them PostgreSQL read every license of the tenant for
     * each batch of 500 accounts; autovacuum is off on the bench machine), hint bits and the visibility map, and the
     * write-back of the seeded rows. CHECKPOINT needs a superuser (or pg_checkpoint); without one the run goes on.
     */
    private static void settle(DSLContext db) {
        db.execute("vacuum (analyze) accounts, licenses, timeline, invoices, invoice_lines");
        try {
            db.execute("checkpoint");
        } catch (org.jooq.exception.DataAccessException e) {
            System.out.println("(no checkpoint after seeding: " + e.getMessage() + ")");
        }
    }

    /**
     * Issue 15 point 10: how long PostgreSQL itself takes to insert the run's invoice and line rows, server-side, with
     * no client in the way — the floor the run is compared with. The run's own rows are copied (not timed) into
     * temporary tables under new ids, numbers and billing sequence, then inserted into {@code invoices} and
     * {@code invoice_lines} by one {@code insert … select} each, in one transaction, with every index, check and
     * foreign key the run meets (timed), and rolled back. Copying the rows rather than making them up with
     * {@code generate_series} gives the same widths, values and index keys as the run's.
     */
    private static double databaseFloor(Tollgate app, Tenant tenant, Instant billingDate) throws java.sql.SQLException {
        String at = "'" + billingDate + "'::timestamptz";
        String t = "'" + tenant.id() + "'";
        return copyTimed(app, List.of(
                new Copy("invoices", "tenant_id = " + t + " and billing_date = " + at,
                        "id = 'fl' || id, number = 'F' || number, billing_seq = billing_seq + 1"),
                new Copy("invoice_lines", "invoice_id in (select id from invoices where tenant_id = " + t + " and billing_date = " + at + ")",
                        "id = 'fl' || id, invoice_id = 'fl' || invoice_id")));
    }

    /**
     * Issue 15 point 10's floor as the issue words it: as many invoices and lines as the run wrote, made server-side by
     * {@code insert … select … from generate_series}, one for each of the tenant's accounts, every column as in the run's
     * first invoice and its first line (so the widths are the run's) but for new sequential ids, numbers, billing
     * sequence and positions; inserted in one transaction with every index, check and foreign key the run meets (timed),
     * and rolled back. No commit is timed (the run's commits are), so the floor is if anything low.
     */
    private static double seriesFloor(Tollgate app, Tenant tenant, Instant billingDate, long invoices, long lines)
            throws java.sql.SQLException {
        long perInvoice = invoices == 0 ? 0 : lines / invoices;
        String at = "'" + billingDate + "'::timestamptz";
        String t = "'" + tenant.id() + "'";
        return timedThenRolledBack(app, List.of(
                "create temporary table gs_accounts on commit drop as select account_id as id, "
                        + "row_number() over (order by account_id) as n from invoices where tenant_id = " + t + " and billing_date = " + at,
                "create temporary table gs_invoice on commit drop as select * from invoices where tenant_id = " + t
                        + " and billing_date = " + at + " order by id limit 1",
                "create temporary table gs_line on commit drop as select * from invoice_lines where invoice_id = "
                        + "(select id from gs_invoice) order by position limit 1",
                "analyze gs_accounts"), List.of(
                "insert into invoices (id, tenant_id, account_id, number, status, currency, billing_date, issued_at, "
                        + "period_start, period_end, subtotal, discount, tax, total, amount_paid, amount_credited, amount_due, "
                        + "attempt_count, next_payment_attempt, parties, created_at, past_due_at, dunning_policy, paid_at, "
                        + "applied_balance, collection_method, due_date, billing_seq, dunning_steps, metadata, days_until_due) "
                        + "select 'gs' || lpad(g::text, 10, '0'), i.tenant_id, a.id, 'G' || g, i.status, "
                        + "i.currency, i.billing_date, i.issued_at, i.period_start, i.period_end, i.subtotal, i.discount, i.tax, i.total, "
                        + "i.amount_paid, i.amount_credited, i.amount_due, i.attempt_count, i.next_payment_attempt, i.parties, "
                        + "i.created_at, i.past_due_at, i.dunning_policy, i.paid_at, i.applied_balance, i.collection_method, i.due_date, "
                        + "i.billing_seq + 1, i.dunning_steps, i.metadata, i.days_until_due "
                        + "from generate_series(1, " + invoices + ") g join gs_accounts a on a.n = g cross join gs_invoice i",
                "insert into invoice_lines (id, tenant_id, invoice_id, position, kind, description, plan_id, "
                        + "subscription_id, license_id, key_suffix, site_url, period_start, period_end, quantity, days, amount) "
                        + "select 'gl' || lpad(g::text, 10, '0') || '_' || p, l.tenant_id, "
                        + "'gs' || lpad(g::text, 10, '0'), p, l.kind, l.description, l.plan_id, l.subscription_id, l.license_id, "
                        + "l.key_suffix, l.site_url, l.period_start, l.period_end, l.quantity, l.days, l.amount "
                        + "from generate_series(1, " + invoices + ") g cross join generate_series(1, " + perInvoice + ") p cross join gs_line l"));
    }

    /** Where the rest of the run's database time goes: the same server-side copy for the other rows it writes. */
    private static void otherRows(Tollgate app, Tenant tenant, Instant billingDate) throws java.sql.SQLException {
        String at = "'" + billingDate + "'::timestamptz";
        String t = "'" + tenant.id() + "'";
        for (Copy copy : List.of(
                new Copy("events", "tenant_id = " + t + " and created_at = " + at, "id = 'fl' || id, seq = seq + 1000000000"),
                new Copy("notifications", "tenant_id = " + t + " and created_at = " + at, "id = 'fl' || id"),
                new Copy("timeline", "tenant_id = " + t + " and created_at = " + at, "id = id + 1000000000, ref = 'fl' || ref")))
            System.out.printf("  %s: %.2f s%n", copy.table, copyTimed(app, List.of(copy)));
    }

    private record Copy(String table, String where, String changes) {}

    private static double copyTimed(Tollgate app, List<Copy> copies) throws java.sql.SQLException {
        List<String> untimed = new java.util.ArrayList<>();
        List<String> timed = new java.util.ArrayList<>();
        for (Copy copy : copies) {
            untimed.add("create temporary table fl_" + copy.table + " on commit drop as select * from " + copy.table + " where " + copy.where);
            untimed.add("update fl_" + copy.table + " set " + copy.changes);
            untimed.add("analyze fl_" + copy.table);
            timed.add("insert into " + copy.table + " select * from fl_" + copy.table);
        }
        return timedThenRolledBack(app, untimed, timed);
    }

    /** Runs {@code untimed}, then {@code timed} (answering its seconds), in one transaction that is rolled back. */
    private static double timedThenRolledBack(Tollgate app, List<String> untimed, List<String> timed) throws java.sql.SQLException {
        try (java.sql.Connection c = app.db.dataSource().getConnection(); java.sql.Statement sql = c.createStatement()) {
            c.setAutoCommit(false);
            try {
                for (String statement : untimed) sql.execute(statement);
                long t0 = System.nanoTime();
                for (String statement : timed) sql.execute(statement);
                return (System.nanoTime() - t0) / 1e9;
            } finally {
                c.rollback(); // the rows never stay
            }
        }
    }

    private static long deliveries(DSLContext db, Tenant tenant, String state) {
        return db.fetchOne("select count(*) from webhook_deliveries where tenant_id = ?" + (state == null ? "" : " and state = ?"),
                state == null ? new Object[] {tenant.id()} : new Object[] {tenant.id(), state}).get(0, Long.class);
    }

    private static long doneRows(DSLContext db, Tenant tenant) {
        return db.fetchOne("select count(*) from timeline where tenant_id = ? and state <> 'pending'", tenant.id()).get(0, Long.class);
    }

    static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) pool.resetPeakUsage();
    }

    private static long peakHeapMiB() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans())
            if (pool.getType() == MemoryType.HEAP) peak += pool.getPeakUsage().getUsed();
        return peak / (1024 * 1024);
    }
}
