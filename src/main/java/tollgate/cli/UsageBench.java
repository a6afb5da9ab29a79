package tollgate.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tollgate.Tollgate;
import tollgate.catalog.PlanDraft;
import tollgate.tenants.Tenant;
import tollgate.tenants.Tenants;

/**
 * {@code tollgate bench usage}: a live tenant with usage subscriptions, and clients posting batches of usage
 * events to {@code POST /v1/usage_events/batch} over HTTP (in this process, on loopback), each event id new.
 */
@Command(name = "usage", description = "Ingest usage events in batches over HTTP and report events per second.")
final class UsageBench implements Callable<Integer> {
    @Option(names = "--events", defaultValue = "1000000")
    int events;

    @Option(names = "--batch", defaultValue = "1000")
    int batch;

    @Option(names = "--clients", defaultValue = "8")
    int clients;

    @Option(names = "--subscriptions", defaultValue = "100")
    int subscriptions;

    @Override
    public Integer call() throws Exception {
        try (Tollgate app = Tollgate.build(Cli.config(), Clock.systemUTC())) {
            Tenants.Created created = app.tenants.create("Usage bench", Tenant.Mode.LIVE);
            Tenant tenant = created.tenant();
            String account = app.accounts.open(tenant, "Usage agency", "bench@usage.test", "usd", "UTC", null).id();
            String plan = app.plans.create(tenant, new PlanDraft("Requests", "usage", "usd", null, null, null, null, 1L, null, null, null)).id();
            List<String> subs = new ArrayList<>();
            for (int i = 0; i < subscriptions; i++) subs.add(app.subscriptions.subscribe(tenant, account, plan,
                    // no card on the bench's account: sent to be paid (decision 022), and it is never billed here anyway
                    new tollgate.subscriptions.Subscriptions.Terms(null, null, null, "send_invoice", 30)).id());
            int port = app.start(0);
            HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(clients)).build();
            int batches = events / batch;
            AtomicInteger next = new AtomicInteger();
            AtomicInteger accepted = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            System.out.printf("posting %d events in batches of %d from %d clients%n", batches * batch, batch, clients);
            long cpu0 = BillingBench.processCpuNanos();
            long start = System.nanoTime();
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                running.add(pool.submit(() -> {
                    for (int b = next.getAndIncrement(); b < batches; b = next.getAndIncrement()) {
                        StringBuilder body = new StringBuilder(batch * 80).append("{\"events\":[");
                        for (int e = 0; e < batch; e++) {
                            if (e > 0) body.append(',');
                            body.append("{\"id\":\"ev-").append(b).append('-').append(e).append("\",\"subscription\":\"")
                                    .append(subs.get((b * batch + e) % subs.size())).append("\",\"quantity\":").append(1 + e % 5).append('}');
                        }
                        body.append("]}");
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/usage_events/batch"))
                                .header("Authorization", "Bearer " + created.secretKey()).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) throw new IllegalStateException("batch " + b + ": " + r.statusCode() + " " + r.body());
                        accepted.addAndGet(batch);
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) f.get();
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpu = (BillingBench.processCpuNanos() - cpu0) / 1e9;
            pool.shutdown();
            long stored = app.db.dsl().fetchOne("select count(*) from usage_events where tenant_id = ?", tenant.id()).get(0, Long.class);
            System.out.printf("usage ingest: %d events in batches of %d from %d clients in %.1f s: %.0f events/s (%d stored); "
                    + "JVM CPU (server and clients) %.1f s%n", accepted.get(), batch, clients, seconds, accepted.get() / seconds, stored, cpu);
        }
        return 0;
    }
}
