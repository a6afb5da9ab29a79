package tollgate.cli;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tollgate.Tollgate;
import tollgate.tenants.Tenant;
import tollgate.webhooks.EndpointRules;

/**
 * {@code tollgate bench webhooks}: a test tenant with one endpoint subscribed to every event, pointing at a receiver
 * in this process (loopback, answering 204); N events appended in batches of 1,000 (as the billing run appends them),
 * and the time from the first append until every delivery is recorded delivered.
 */
@Command(name = "webhooks", description = "Deliver N webhooks to a local receiver and report deliveries per second.")
final class WebhooksBench implements Callable<Integer> {
    @Option(names = "--deliveries", defaultValue = "100000")
    int deliveries;

    @Override
    public Integer call() throws Exception {
        try (Tollgate app = Tollgate.build(Cli.config(), Clock.systemUTC()); LocalReceiver receiver = new LocalReceiver()) {
            app.start(0);
            Tenant tenant = app.tenants.create("Webhooks bench", Tenant.Mode.TEST).tenant();
            app.webhooks.create(tenant, new EndpointRules.Draft(receiver.url(), List.of("*"), "bench", null));
            long t0 = System.nanoTime();
            Instant now = app.testClock.now(tenant);
            for (int done = 0; done < deliveries; ) {
                int n = Math.min(1000, deliveries - done);
                List<Map<String, Object>> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) items.add(Map.of("n", done + i, "note", "a bench event of about the size of a small invoice's"));
                app.db.tx(tx -> {
                    app.events.appendAll(tx, tenant.id(), "invoice.updated", now, items, item -> null);
                    return null;
                });
                done += n;
            }
            double appended = (System.nanoTime() - t0) / 1e9;
            long cpu0 = BillingBench.processCpuNanos();
            while (delivered(app, tenant) < deliveries) Thread.sleep(50);
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%d events appended in %.1f s; all %d delivered %.1f s after the first append: %.0f deliveries/s "
                            + "(receiver counted %d); JVM CPU after the appends %.1f s%n", deliveries, appended, deliveries, seconds,
                    deliveries / seconds, receiver.received.get(), (BillingBench.processCpuNanos() - cpu0) / 1e9);
        }
        return 0;
    }

    static long delivered(Tollgate app, Tenant tenant) {
        return app.db.dsl().fetchOne("select count(*) from webhook_deliveries where tenant_id = ? and state = 'delivered'", tenant.id())
                .get(0, Long.class);
    }
}
