package tollgate.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jooq.DSLContext;
import org.jooq.Query;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tollgate.Tollgate;
import tollgate.billing.BillingSchedule;
import tollgate.billing.MonthlyLicenseBilling;
import tollgate.catalog.PlanDraft;
import tollgate.core.Ids;
import tollgate.licensing.LicenseKey;
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
            seed(app, tenant, plan, start);
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

    private void seed(Tollgate app, Tenant tenant, String plan, Instant at) {
        var vault = app.vault();
        int chunk = 500;
        for (int done = 0; done < accounts; done += chunk) {
            int count = Math.min(accounts - done, chunk);
            app.db.tx(tx -> {
                List<Query> q = new ArrayList<>();
                List<Query> licenses = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    String account = Ids.next("acct");
                    q.add(tx.query("insert into accounts (id, tenant_id, name, email, currency, timezone, created_at) "
                            + "values (?, ?, ?, ?, 'usd', 'UTC', ?)", account, tenant.id(), "Agency " + account, "billing@" + account + ".test", at));
                    for (int l = 0; l < licensesPerAccount; l++) {
                        String id = Ids.next("lic");
                        String key = LicenseKey.generate();
                        licenses.add(tx.query("insert into licenses (id, tenant_id, account_id, plan_id, key_hash, key_sealed, key_suffix, "
                                        + "status, site_url, live_site, issued_at, version) values (?, ?, ?, ?, ?, ?, ?, 'assigned', ?, ?, ?, 0)",
                                id, tenant.id(), account, plan, LicenseKey.hash(key), vault.sealText(key, id), LicenseKey.suffix(key),
                                "https://" + id.replace('_', '-') + ".example", "https://" + id.replace('_', '-') + ".example", at));
                    }
                    q.add(tx.query("insert into timeline (tenant_id, due_at, kind, ref, state, attempts, created_at) values (?, ?, ?, ?, 'pending', 0, ?)",
                            tenant.id(), MonthlyLicenseBilling.nextFirstOfMonth(at, ZoneId.of("UTC")), BillingSchedule.JOB, account, at));
                }
                tx.batch(q).execute();
                tx.batch(licenses).execute();
                return null;
            });
        }
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
