package tollgate.cli;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tollgate.Tollgate;
import tollgate.catalog.PlanDraft;
import tollgate.licensing.License;
import tollgate.tenants.Tenant;
import tollgate.tenants.Tenants;

/** {@code tollgate bench …}: data and runs for the benchmarks in docs/BENCHMARKS.md. */
@Command(name = "bench", description = "Benchmark helpers (see docs/BENCHMARKS.md).", subcommands = {BenchCommand.SeedLicenses.class, BillingBench.class, UsageBench.class,
        EmailCommands.Bench.class, WebhooksBench.class, PortalBench.class, ApiBench.class, ConsoleBench.class, LiveMonthBench.class})
final class BenchCommand {

    @Command(name = "seed-licenses", description = "Create a tenant with N licenses, each assigned to its own site, "
            + "and write 'key site' lines for the validate benchmark.")
    static final class SeedLicenses implements Callable<Integer> {
        @Option(names = "--licenses", defaultValue = "100000", description = "How many licenses (default 100000).")
        int licenses;

        @Option(names = "--out", required = true, description = "File for the 'key site_url' lines.")
        Path out;

        @Override
        public Integer call() throws Exception {
            long start = System.nanoTime();
            try (Tollgate app = Tollgate.build(Cli.config(), Clock.systemUTC());
                 BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                Tenants.Created created = app.tenants.create("Bench", Tenant.Mode.TEST);
                Tenant tenant = created.tenant();
                String account = app.accounts.open(tenant, "Bench agency", "bench@agency.test", "usd", "UTC", null).id();
                app.paymentMethods.attach(tenant, account, "tok_visa", false);
                String plan = app.plans.create(tenant,
                        new PlanDraft("Bench license", "license", "usd", 900L, null, null, null, null, null, null, null)).id();
                int left = licenses;
                while (left > 0) {
                    int size = Math.min(1000, left);
                    Iterable<License> issued = size >= 2
                            ? app.licensing.issueBundle(tenant, account, plan, size).licenses()
                            : app.licensing.issue(tenant, account, plan, size);
                    for (License l : issued) w.write(l.key() + " https://" + l.id().replace('_', '-') + ".example\n");
                    left -= size;
                }
                // Assigning 100,000 licenses one API call at a time would take most of the run; one statement does it.
                int assigned = app.db.dsl().execute("update licenses set status = 'assigned', site_url = 'https://' || replace(id, '_', '-') || '.example', "
                        + "live_site = 'https://' || replace(id, '_', '-') || '.example', version = nextval('license_changes') where tenant_id = ?", tenant.id());
                System.out.printf("tenant %s: %d licenses issued and assigned in %.1f s; keys in %s%n", tenant.id(), assigned,
                        (System.nanoTime() - start) / 1e9, out);
                System.out.println("secret key: " + created.secretKey());
            }
            return 0;
        }
    }

    private BenchCommand() {}
}
