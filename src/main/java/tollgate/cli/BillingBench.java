package tollgate.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import org.jooq.DSLContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tollgate.Tollgate;
import tollgate.billing.MonthlyLicenseBilling;
import tollgate.catalog.PlanDraft;
import tollgate.bench.Seeding;
import tollgate.tenants.Tenant;

/**
 * {@code tollgate bench billing}: N accounts with M licenses each, all issued on one day, then the test clock
 * is advanced past the 1st and the run invoices the month. Seeding writes rows in bulk (it is not what is
 * measured); the advance goes through the same code as {@code POST /v1/test_clock/advance}.
 */
@Command(name = "billing", description = "Invoice one month of licenses for N accounts and report the time and memory.")
final class BillingBench implements Callable<Integer> {
    @Option(names = "--accounts", defaultValue = "100000")
    int accounts;

    @Option(names = "--licenses-per-account", defaultValue = "10")
    int licensesPerAccount;

    @Override
    public Integer call() {
        try (Tollgate app = Tollgate.build(Cli.config(), Clock.systemUTC())) {
            Tenant tenant = app.tenants.create("Billing bench", Tenant.Mode.TEST).tenant();
            Instant start = app.testClock.now(tenant);
            String plan = app.plans.create(tenant,
                    new PlanDraft("Bench license", "license", "usd", 900L, null, null, null, null, null, null, null)).id();
            long t0 = System.nanoTime();
            Seeding.licensedAccounts(app, tenant, plan, accounts, licensesPerAccount, start);
            System.out.printf("seeded %d accounts × %d licenses in %.1f s%n", accounts, licensesPerAccount, (System.nanoTime() - t0) / 1e9);

            Instant first = MonthlyLicenseBilling.nextFirstOfMonth(start, ZoneId.of("UTC"));
            System.gc();
            resetPeaks();
            long t1 = System.nanoTime();
            app.testClock.advance(tenant, first.plusSeconds(3600));
            double seconds = (System.nanoTime() - t1) / 1e9;
            DSLContext db = app.db.dsl();
            long invoices = db.fetchOne("select count(*) from invoices where tenant_id = ?", tenant.id()).get(0, Long.class);
            long lines = db.fetchOne("select count(*) from invoice_lines l join invoices i on i.id = l.invoice_id where i.tenant_id = ?",
                    tenant.id()).get(0, Long.class);
            System.out.printf("billing run: %d invoices, %d lines in %.1f s (%.0f invoices/s); peak heap after the run started: %d MiB%n",
                    invoices, lines, seconds, invoices / seconds, peakHeapMiB());
        }
        return 0;
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
