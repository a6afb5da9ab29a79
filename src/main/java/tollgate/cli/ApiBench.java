package tollgate.cli;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tollgate.Tollgate;
import tollgate.catalog.PlanDraft;
import tollgate.core.ProcStat;
import tollgate.tenants.Tenant;
import tollgate.tenants.Tenants;

/**
 * {@code tollgate bench api}: the API's everyday writes from clients over HTTP (in this process, on loopback), each with
 * an {@code Idempotency-Key} as Stripe's libraries send one: an account opened and subscribed to a monthly flat plan
 * (one request, {@code POST /v1/subscriptions} with the new account, decision 073; or two with {@code --signup
 * two-requests}; the first invoice issued with the subscription), then licenses issued one per request. Prints what each phase
 * did per second and p50/p99 per request. A test tenant (the sandbox gateway needs one), so each change also runs what it
 * made due on the tenant's clock before it is answered: more work per request than a live tenant's. The clients are
 * {@link LoopbackClient}s, one kept-alive connection each; {@code --floor} first times requests the server refuses at
 * authentication, the HTTP stack's own cost per request with no database work.
 */
@Command(name = "api", description = "Open accounts with a subscription and issue licenses over HTTP; report per second, p50 and p99.")
final class ApiBench implements Callable<Integer> {
    @Option(names = "--accounts", defaultValue = "20000", description = "Accounts opened, each with a subscription (default 20000).")
    int accounts;

    @Option(names = "--licenses", defaultValue = "20000", description = "Licenses issued, one per request (default 20000).")
    int licenses;

    @Option(names = "--clients", defaultValue = "8")
    int clients;

    @Option(names = "--warmup", defaultValue = "2000", description = "Untimed operations of each kind first (default 2000).")
    int warmup;

    @Option(names = "--license-accounts", defaultValue = "200", description = "Accounts (with a card) the licenses go to, in turn.")
    int licenseAccounts;

    @Option(names = "--idempotency-keys", defaultValue = "true", negatable = true, description = "Send an Idempotency-Key on every POST.")
    boolean idempotencyKeys;

    @Option(names = "--signup", defaultValue = "one-request",
            description = "How an account with a subscription is made: one-request (POST /v1/subscriptions with the new account, "
                    + "decision 073) or two-requests (POST /v1/accounts, then POST /v1/accounts/{id}/subscriptions).")
    String signup;

    @Option(names = "--floor", defaultValue = "0",
            description = "Requests refused at authentication (401) timed first: the HTTP stack's floor per request (default 0: none).")
    int floor;

    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");

    private tollgate.core.Database db;
    /** Whether the database is PostgreSQL, whose processes on this machine are then read for their CPU. */
    private boolean postgres;
    /** Requests the server ran in one transaction together (decision 068): one sample per transaction. */
    private io.micrometer.core.instrument.DistributionSummary together;
    private int port;
    private final ConcurrentLinkedQueue<LoopbackClient> opened = new ConcurrentLinkedQueue<>();
    private final ThreadLocal<LoopbackClient> client = ThreadLocal.withInitial(() -> {
        LoopbackClient c = new LoopbackClient("127.0.0.1", this.port);
        opened.add(c);
        return c;
    });
    private String secretKey;

    @Override
    public Integer call() throws Exception {
        boolean twoRequests = switch (signup) {
            case "one-request" -> false;
            case "two-requests" -> true;
            default -> throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--signup must be one-request or two-requests");
        };
        try (Tollgate app = Tollgate.build(Cli.config(), Clock.systemUTC())) {
            Tenants.Created created = app.tenants.create("API bench", Tenant.Mode.TEST);
            Tenant tenant = created.tenant();
            secretKey = created.secretKey();
            String hosting = app.plans.create(tenant, new PlanDraft("Hosting", "flat", "usd", 2900L, "month", null, null, null, null, null, null)).id();
            String license = app.plans.create(tenant, new PlanDraft("Site license", "license", "usd", 900L, null, null, null, null, null, null, null)).id();
            List<String> holders = new ArrayList<>();
            for (int i = 0; i < licenseAccounts; i++) {
                String id = app.accounts.open(tenant, "License holder " + i, "holder" + i + "@bench.test", "usd", "UTC", null).id();
                app.paymentMethods.attach(tenant, id, "tok_visa", false);
                holders.add(id);
            }
            port = app.start(0);
            String run = Long.toString(System.nanoTime(), 36);
            Phase together = (n, i, clock) -> {
                long s = System.nanoTime();
                post("/v1/subscriptions", "{\"account\":{\"name\":\"Agency " + i + "\",\"email\":\"a" + i + "@bench.test\",\"currency\":\"usd\"},"
                        + "\"plan\":\"" + hosting + "\",\"collection_method\":\"send_invoice\",\"days_until_due\":30}", run + "-as-" + i);
                clock[0] = System.nanoTime() - s;
            };
            Phase apart = (n, i, clock) -> {
                long s = System.nanoTime();
                String account = id(post("/v1/accounts", "{\"name\":\"Agency " + i + "\",\"email\":\"a" + i + "@bench.test\",\"currency\":\"usd\"}",
                        run + "-a-" + i));
                clock[0] = System.nanoTime() - s;
                s = System.nanoTime();
                post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + hosting + "\",\"collection_method\":\"send_invoice\",\"days_until_due\":30}",
                        run + "-s-" + i);
                clock[1] = System.nanoTime() - s;
            };
            Phase signups = twoRequests ? apart : together;
            List<String> signupRequests = twoRequests ? List.of("POST /v1/accounts", "POST /v1/accounts/{id}/subscriptions")
                    : List.of("POST /v1/subscriptions (a new account)");
            Phase issues = (n, i, clock) -> {
                long s = System.nanoTime();
                post("/v1/accounts/" + holders.get(i % holders.size()) + "/licenses", "{\"plan\":\"" + license + "\"}", run + "-l-" + i);
                clock[0] = System.nanoTime() - s;
            };
            Phase refused = (n, i, clock) -> {
                long s = System.nanoTime();
                LoopbackClient.Answer a = client.get().post("/v1/accounts/" + holders.get(i % holders.size()) + "/licenses",
                        "{\"plan\":\"" + license + "\"}", Map.of("Content-Type", "application/json"));
                if (a.status() != 401) throw new IllegalStateException("expected 401 without a key, got " + a.status() + " " + a.body());
                clock[0] = System.nanoTime() - s;
            };
            System.out.printf("%d clients over HTTP/1.1 on loopback (one kept-alive connection each), Idempotency-Key %s; "
                    + "%d untimed of each first%n", clients, idempotencyKeys ? "on every POST" : "never sent", warmup);
            drive("warm-up", warmup, 0, signups, signupRequests.stream().map(r -> "").toList());
            drive("warm-up", warmup, 0, issues, List.of(""));
            this.db = app.db;
            this.postgres = app.db.dialect() == org.jooq.SQLDialect.POSTGRES;
            this.together = app.metrics().find("http.server.requests.together").summary();
            if (floor > 0) {
                drive("warm-up", floor, 0, refused, List.of(""));
                drive("requests refused at authentication (the floor)", floor, 0, refused, List.of("POST /v1/accounts/{id}/licenses, no key"));
            }
            drive("accounts with a subscription", accounts, warmup, signups, signupRequests);
            drive("licenses issued", licenses, warmup, issues, List.of("POST /v1/accounts/{id}/licenses"));
            var dsl = app.db.dsl();
            System.out.printf("stored: %d accounts, %d subscriptions, %d invoices, %d licenses%n",
                    count(dsl, "accounts", tenant), count(dsl, "subscriptions", tenant), count(dsl, "invoices", tenant), count(dsl, "licenses", tenant));
            System.out.printf("connections: %d opened by %d clients (one each unless the server closed some)%n",
                    opened.stream().mapToInt(LoopbackClient::connections).sum(), opened.size());
        } finally {
            opened.forEach(LoopbackClient::close);
        }
        return 0;
    }

    /** One operation of a phase: {@code i} its number; writes each request's nanoseconds into {@code clock}. */
    interface Phase {
        void run(int n, int i, long[] clock) throws Exception;
    }

    private void drive(String label, int n, int offset, Phase phase, List<String> requests) throws Exception {
        if (n == 0) return;
        int kinds = requests.size();
        long[][] nanos = new long[kinds][n];
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long jit0 = jitMillis();
        var postgres0 = postgres ? ProcStat.processesNamed("postgres") : java.util.OptionalLong.empty();
        long cpu0 = BillingBench.processCpuNanos();
        var idle0 = ProcStat.idle();
        long reads0 = db == null ? 0 : db.statementsRead();
        long writes0 = db == null ? 0 : db.statementsWritten();
        long batches0 = together == null ? 0 : together.count();
        double batched0 = together == null ? 0 : together.totalAmount();
        long start = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            running.add(pool.submit(() -> {
                long[] clock = new long[2];
                for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                    phase.run(n, offset + i, clock);
                    for (int k = 0; k < kinds; k++) nanos[k][i] = clock[k];
                }
                return null;
            }));
        }
        for (Future<?> f : running) f.get();
        var idle1 = ProcStat.idle();
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = (BillingBench.processCpuNanos() - cpu0) / 1e9;
        long jit1 = jitMillis();
        var postgres1 = postgres ? ProcStat.processesNamed("postgres") : java.util.OptionalLong.empty();
        double jit = jit1 < 0 ? -1 : (jit1 - jit0) / 1e3;
        pool.shutdown();
        if (label.equals("warm-up")) return;
        // Background workers' statements (mail, webhooks, the timeline) count too: what the server did for these requests.
        System.out.printf("%s: %d in %.1f s: %.0f per second; JVM CPU (server and clients) %.1f s, %.2f ms per operation; "
                + "statements per operation %.1f reads + %.1f writes%n", label, n, seconds, n / seconds, cpu, cpu * 1000 / n,
                (db.statementsRead() - reads0) / (double) n, (db.statementsWritten() - writes0) / (double) n);
        long batches = together == null ? 0 : together.count() - batches0;
        if (batches > 0) System.out.printf("  run together: %.0f requests in %d transactions, %.2f per transaction%n",
                together.totalAmount() - batched0, batches, (together.totalAmount() - batched0) / batches);
        // The JIT's compiler threads count in the JVM's CPU: after a short warm-up they were a third of it (stop 37).
        if (jit0 >= 0 && jit >= 0) System.out.printf("  of which the JIT's compiler threads: %.1f s (%.0f %%; a longer --warmup brings it down)%n",
                jit, 100 * jit / cpu);
        // The rest of a pair's CPU is the database's (stop 37: the larger half at steady state), measured when it is local,
        // and what the machine's other processes and the kernel's own threads did meanwhile (stop 38: ~0.2 ms a pair).
        double pg = postgres0.isPresent() && postgres1.isPresent() ? (postgres1.getAsLong() - postgres0.getAsLong()) / 1e3 : -1;
        if (pg >= 0) System.out.printf("  meanwhile the machine's processes named postgres: %.1f s of CPU, %.2f ms per operation%n", pg, pg * 1000 / n);
        if (idle0.isPresent() && idle1.isPresent()) {
            int cores = idle1.get().cores();
            double idle = (idle1.get().millis() - idle0.get().millis()) / 1e3;
            System.out.printf("  the machine's %d cores idle or waiting for I/O %.0f %% of the time", cores, 100 * idle / seconds / cores);
            if (pg >= 0) System.out.printf("; busy with other processes %.2f ms per operation", (cores * seconds - idle - cpu - pg) * 1000 / n);
            System.out.println();
        }
        for (int k = 0; k < kinds; k++) {
            Arrays.sort(nanos[k]);
            System.out.printf("  %-40s p50 %6.2f ms   p99 %6.2f ms   max %7.1f ms%n", requests.get(k), pct(nanos[k], 50), pct(nanos[k], 99),
                    nanos[k][n - 1] / 1e6);
        }
    }

    /**
     * CPU the JIT's compiler threads have used so far, in milliseconds, from {@code /proc/self/task} (Linux; -1
     * elsewhere). The JVM's own compilation time counts a compile's elapsed time, which on two busy cores was twice its
     * CPU. A compiler thread that has ended takes its CPU with it, so this may count low.
     */
    private static long jitMillis() {
        java.nio.file.Path tasks = java.nio.file.Path.of("/proc/self/task");
        if (!java.nio.file.Files.isDirectory(tasks)) return -1;
        try {
            return ProcStat.listedIn(tasks).filter(s -> s.name().startsWith("C1 Compiler") || s.name().startsWith("C2 Compiler"))
                    .mapToLong(ProcStat::cpuMillis).sum();
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    private String post(String path, String body, String key) throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + secretKey);
        headers.put("Content-Type", "application/json");
        if (idempotencyKeys) headers.put("Idempotency-Key", key);
        LoopbackClient.Answer r = client.get().post(path, body, headers);
        if (r.status() != 200) throw new IllegalStateException("POST " + path + ": " + r.status() + " " + r.body());
        return r.body();
    }

    private static String id(String json) {
        Matcher m = ID.matcher(json);
        if (!m.find()) throw new IllegalStateException("no id in " + json);
        return m.group(1);
    }

    private static double pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }

    private static long count(org.jooq.DSLContext dsl, String table, Tenant tenant) {
        return dsl.fetchOne("select count(*) from " + table + " where tenant_id = ?", tenant.id()).get(0, Long.class);
    }
}
