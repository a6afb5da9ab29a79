package tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import tollgate.Config;
import tollgate.Tollgate;
import tollgate.catalog.PlanDraft;
import tollgate.core.Bulk;
import tollgate.core.Database;
import tollgate.core.Ids;
import tollgate.core.Vault;
import tollgate.tenants.Tenant;
import tollgate.testing.LiveMonthEnd;
import tollgate.testing.OpenLoop;
import tollgate.testing.OpenLoop.Shot;
import tollgate.testing.ServerProcess;
import tollgate.testing.TestClocks;
import tollgate.testing.TestServer;

/**
 * Issue 15 point 9 (decisions 045 and 057): SIGTERM while 500 (CI) or 1,000 (long form) requests a second arrive and a
 * live month-end is being worked, in a server that is a process of its own on PostgreSQL (a schema of the shared
 * cluster when {@code TOLLGATE_TEST_DATABASE_URL} is set, else a throwaway cluster).
 *
 * <p>The load is open-loop ({@link OpenLoop}: sent at a set rate, not waiting for answers), ramped to the rate and held
 * there: license checks of real keys, account reads and pages of accounts, and writes — accounts opened and licenses
 * issued, each with its own {@code Idempotency-Key}. The month-end ({@link LiveMonthEnd}: invoices and first charges of a
 * live tenant) is let loose once the load is at its rate, and the signal comes while its rows are being claimed.
 *
 * <p>Then: the rate offered from the full rate up to the signal (at least 95 % of it, none held back), and the rate
 * answered in the second before the signal (at least the floor); every answer
 * is 200 or 503 {@code shutting_down} (or {@code overloaded}) with {@code Retry-After}, or there was none (refused or closed before it was read);
 * a 200 write is stored exactly once, a 503 or unanswered one not at all; the process exits 0 within the drain's bound;
 * no timeline row is left locked or leased by the stopped process; and a second server process (the next node, on the
 * production lease of 10 minutes, so a row left leased would keep it from finishing) finishes the month-end: every
 * account invoiced once, every card charged once by the sandbox's ledger ({@link LiveMonthEnd#assertBooks}).
 *
 * <p>{@code -Dtollgate.seed} repeats the mix of requests (the seed is printed); {@code -Dtollgate.sigterm.rate},
 * {@code .floor} and {@code .accounts} change the load, the floor and the month-end's size.
 */
class ShutdownUnderLoadTest {
    /**
     * The long form of point 9, run on a quiet machine and recorded in docs/RELIABILITY.md, is
     * {@code -Dtollgate.sigterm.rate=1000 -Dtollgate.sigterm.floor=800}. The CI form (no rate given) offers 500/s, or less
     * on a machine that cannot serve it with a month-end running: {@link #CI_SHARE} of what 8 closed-loop callers got
     * answered in the warm-up's last 3 s, never under {@link #CI_LEAST}; its floor is {@link #CI_FLOOR} of the rate
     * (decision 057; on stop 22's slower machine main's own code answered 292 of 500/s with the month-end running).
     */
    private static final String RATE_GIVEN = System.getProperty("tollgate.sigterm.rate");
    private static final double CI_RATE = 500, CI_SHARE = 0.35, CI_LEAST = 150, CI_FLOOR = 0.8;
    /** The answered rate the second before the signal must reach, when given (decision 057 says why this figure). */
    private static final String FLOOR_GIVEN = System.getProperty("tollgate.sigterm.floor");
    private static final int ACCOUNTS = Integer.getInteger("tollgate.sigterm.accounts", 2000);
    private static final long SEED = Long.getLong("tollgate.seed", System.nanoTime());
    /** The ramp from a tenth of the rate to all of it, then the time at the rate before the month-end is let loose. */
    private static final Duration RAMP = Duration.ofSeconds(4);
    /** Eight closed-loop callers first, so that the fresh server's JIT has compiled the requests' paths. */
    private static final Duration WARM_UP = Duration.ofSeconds(6);
    private static final Duration AT_RATE = Duration.ofSeconds(2);
    /** Jetty's stop timeout for requests in flight (20 s) and the timeline worker's wait for its batches (10 s). */
    private static final Duration DRAIN_BOUND = Duration.ofSeconds(30);
    private static final int LOAD_ACCOUNTS = 200;
    private static final Pattern ID = Pattern.compile("\"id\":\"([a-z]+_[^\"]+)\"");
    private static final Pattern LICENSE_ID = Pattern.compile("\"id\":\"(lic_[^\"]+)\"");

    /** The tenant the writes go to (so the month-end's accounts stay as it made them): its key, plan and carded accounts. */
    record LoadTenant(String id, String secretKey, String plan, List<String> accounts) {}

    /** A real license key of the month-end's tenant and the site it is assigned to. */
    record SiteKey(String key, String site) {}

    @Test
    void sigtermAtAThousandRequestsASecondAnswersEveryRequestItReadStoresWholeWritesOnlyAndLeavesTheMonthEndToTheNextNode()
            throws Exception {
        System.out.printf("shutdown under load: seed %d (-Dtollgate.seed), %s requests/s, %d accounts in the month-end%n",
                SEED, RATE_GIVEN == null ? "up to " + (int) CI_RATE + " (the CI form)" : RATE_GIVEN, ACCOUNTS);
        double[] rate = {RATE_GIVEN == null ? CI_RATE : Double.parseDouble(RATE_GIVEN)};
        long began = System.nanoTime();
        Path dir = Files.createTempDirectory("tollgate-sigterm");
        try (LiveMonthEnd.Postgres pg = LiveMonthEnd.Postgres.forProcesses("sigterm")) {
            LiveMonthEnd month = LiveMonthEnd.seed(pg.url(), ACCOUNTS, 2);
            LoadTenant load = seedLoadTenant(pg.url());
            List<SiteKey> keys = siteKeys(pg.url(), month.tenantId);
            try (Database watcher = month.watcher()) {
                DSLContext db = watcher.dsl();
                month.holdBack(db);
                // The production batch and lease (not ServerProcess's small ones): a row left leased by the stopped server
                // would wait 10 minutes for the next node, and the test would see it. Site checks from one address at this rate.
                Map<String, String> env = Map.of("TOLLGATE_LIVE_BATCH", "500", "TOLLGATE_LIVE_LEASE_SECONDS", "600",
                        "TOLLGATE_SITE_RATE_PER_KEY", "100000", "TOLLGATE_SITE_RATE_PER_ADDRESS", "100000");
                List<String> jvm = List.of("-Xmx512m");
                long launched = System.nanoTime();
                ServerProcess server = ServerProcess.launch(pg.url(), month.billingDate, dir, "server", env, jvm);
                ServerProcess next = null;
                try {
                    String base = server.awaitListening(Duration.ofSeconds(180));
                    Random random = new Random(SEED);
                    OpenLoop loop = new OpenLoop(base, t -> Math.min(rate[0], rate[0] / 10 + rate[0] * 0.9 * t / RAMP.toNanos()),
                            n -> call(n, random, month, load, keys), 2_000, Duration.ofSeconds(60));
                    try {
                        loop.warmUp(8, WARM_UP);
                        long warmedUp = System.nanoTime();
                        double capacity = loop.answeredBetween(warmedUp - 3_000_000_000L, warmedUp) / 3.0;
                        if (RATE_GIVEN == null) rate[0] = Math.max(CI_LEAST, Math.min(CI_RATE, Math.floor(capacity * CI_SHARE)));
                        double floor = FLOOR_GIVEN != null ? Double.parseDouble(FLOOR_GIVEN) : rate[0] * CI_FLOOR;
                        System.out.printf("  warm-up, 8 closed-loop callers: %.0f answered/s; the rate %.0f/s, floor %.0f/s%n", capacity, rate[0], floor);
                        loop.start();
                        sleepUntil(loop.startNanos() + RAMP.toNanos());
                        // CPU over the time at the full rate up to the signal: the server's, and this JVM's (the callers').
                        long atRate = System.nanoTime();
                        double serverCpu = server.cpuSeconds(), callerCpu = processCpuSeconds();
                        sleepUntil(loop.startNanos() + RAMP.plus(AT_RATE).toNanos());
                        long released = System.nanoTime();
                        double serverCpuBefore = server.cpuSeconds() - serverCpu, callerCpuBefore = processCpuSeconds() - callerCpu;
                        month.release(db);
                        // The signal once the month-end is well under way (its first charges too), yet far from done.
                        while (month.progress(db) < month.done() / 5 && System.nanoTime() - released < Duration.ofSeconds(30).toNanos())
                            Thread.sleep(20);
                        long progressAtSignal = month.progress(db);
                        long signalled = System.nanoTime();
                        serverCpu = server.cpuSeconds() - serverCpu;
                        callerCpu = processCpuSeconds() - callerCpu;
                        int status = server.stop(); // SIGTERM, then waits for the exit
                        double stopSeconds = (System.nanoTime() - signalled) / 1e9;
                        Thread.sleep(300); // requests to the closed port: refused
                        loop.stop(Duration.ofSeconds(60));
                        long progressAtExit = month.progress(db);

                        double offered = loop.sentBetween(signalled - 1_000_000_000L, signalled);
                        double answered = loop.answeredBetween(signalled - 1_000_000_000L, signalled);
                        List<Shot> shots = loop.shots();
                        Map<String, Map<Integer, Integer>> byKind = new TreeMap<>();
                        for (Shot s : shots) byKind.computeIfAbsent(s.kind(), k -> new TreeMap<>()).merge(s.status(), 1, Integer::sum);
                        System.out.printf("  the second before SIGTERM: %.0f requests sent, %.0f answered; %d requests in all, by kind and "
                                        + "status (0: no answer) %s; %d held back by the in-flight cap, %d still out; %d connections opened%n", offered,
                                answered, shots.size(), byKind, loop.heldBack(), loop.inFlight(), loop.connections());
                        double beforeSeconds = (released - atRate) / 1e9, duringSeconds = (signalled - released) / 1e9;
                        long answeredBefore = loop.answeredBetween(atRate, released), answeredDuring = loop.answeredBetween(released, signalled);
                        System.out.printf("  at the rate before the month-end, %.1f s: %d answered (%.0f/s); CPU: the server %.2f cores (%.2f ms a "
                                        + "request), the callers %.2f cores (%.2f ms a request)%n", beforeSeconds, answeredBefore,
                                answeredBefore / beforeSeconds, serverCpuBefore / beforeSeconds, 1000 * serverCpuBefore / Math.max(1, answeredBefore),
                                callerCpuBefore / beforeSeconds, 1000 * callerCpuBefore / Math.max(1, answeredBefore));
                        System.out.printf("  with the month-end running, %.1f s up to the signal: %d answered (%.0f/s); CPU: the server %.2f cores%n",
                                duringSeconds, answeredDuring, answeredDuring / duringSeconds, (serverCpu - serverCpuBefore) / duringSeconds);
                        Map<String, Integer> errors = new TreeMap<>();
                        for (Shot s : shots) {
                            if (s.answered()) continue;
                            // A refused connection is dated by its refusal: the connect runs on the shot's own thread, which
                            // may start after the signal closed the port though the shot was counted as sent before it (CI
                            // met 11 such). Anything else, and a refusal before the signal, is dated by its sending.
                            boolean refused = s.error().startsWith(java.net.ConnectException.class.getName());
                            long when = refused ? s.answeredNanos() : s.sentNanos();
                            errors.merge((when < signalled ? "before the signal: " : "after: ") + s.error(), 1, Integer::sum);
                        }
                        System.out.printf("  requests without an answer, by error: %s%n", errors);
                        System.out.printf("  month-end at the signal: %d of %d (invoices + charges), %d when the server had gone; "
                                        + "SIGTERM to exit %.1f s; load average %s%n", progressAtSignal, month.done(), progressAtExit, stopSeconds,
                                loadAverage());

                        Matcher stopLine = Pattern.compile("Tollgate stopped.*").matcher(server.logText().orElse(""));
                        System.out.printf("  the server's last line: %s%n", stopLine.find() ? stopLine.group() : "(none)");
                        assertThat(status).as("exit status after SIGTERM; see " + server.log).isZero();
                        assertThat(stopSeconds).as("stopped within the drain's bound").isLessThan(DRAIN_BOUND.toSeconds() + 5);
                        assertThat(server.logText().orElse("")).contains("Tollgate stopped").doesNotContain("unhandled error");
                        // The rate offered is checked over the whole time at the full rate up to the signal, not its last
                        // second: the pacer is one thread on 2 cores shared with the server and PostgreSQL at the month-end's
                        // height, and sends what it fell behind on in a burst when it runs again, so one second measured its
                        // scheduling (CI on a slow machine: 265 sent in the last second at 298/s, the server answering 301).
                        double offeredAtRate = loop.sentBetween(atRate, signalled) / ((signalled - atRate) / 1e9);
                        assertThat(offeredAtRate).as("the rate offered from the full rate to the signal (%.0f the last second)", offered)
                                .isGreaterThanOrEqualTo(rate[0] * 0.95);
                        assertThat(loop.heldBack()).as("requests the in-flight cap kept from being sent").isZero();
                        assertThat(answered).as("the rate answered the second before the signal (seed " + SEED + ")")
                                .isGreaterThanOrEqualTo(floor);
                        assertThat(loop.inFlight()).as("every request sent was answered or failed").isZero();
                        // Before the signal the server is not stopping: a request without an answer then is one it dropped
                        // (overloaded: a connection not read within SlowClients' 10 s, or not accepted within 5 s).
                        assertThat(errors.keySet().stream().filter(e -> e.startsWith("before")).toList())
                                .as("requests without an answer before the signal: " + errors).isEmpty();
                        checkAnswers(shots, db, load);
                        assertThat(progressAtSignal).as("the month-end was being worked at the signal").isPositive();
                        assertThat(progressAtExit).as("the stop left some of the month-end to the next node").isLessThan(month.done());

                        // Nothing claimed by the stopped server: no row locked, none leased (moved past the stop) or put off.
                        Instant serverClockAtStop = month.billingDate.plusNanos(System.nanoTime() - launched);
                        long pending = db.fetchOne("select count(*) from timeline where state = 'pending'").get(0, Long.class);
                        long claimable = watcher.tx(tx -> (long) tx.fetch("select id from timeline where state = 'pending' for update skip locked").size());
                        assertThat(claimable).as("no timeline row is left locked by the stopped server").isEqualTo(pending);
                        List<String> deferred = db.fetch("select kind || ' ' || ref || ' run_at ' || run_at from timeline where tenant_id = ? "
                                + "and state = 'pending' and due_at <= ? and run_at > ?", month.tenantId, serverClockAtStop, serverClockAtStop).getValues(0, String.class);
                        assertThat(deferred).as("rows leased or put off by the stopped server").isEmpty();

                        // The next node finishes what was left, at once (a lease left behind would hold it 10 minutes).
                        long nextLaunched = System.nanoTime();
                        next = ServerProcess.launch(pg.url(), month.billingDate.plusNanos(nextLaunched - launched), dir, "next", env, jvm);
                        next.awaitListening(Duration.ofSeconds(180));
                        long nextListening = System.nanoTime();
                        month.awaitDone(db, 120, next.log.toString());
                        double nextSeconds = (System.nanoTime() - nextListening) / 1e9;
                        double nextStart = (nextListening - nextLaunched) / 1e9;
                        assertThat(next.stop()).as("the next node's exit after SIGTERM; see " + next.log).isZero();
                        LiveMonthEnd.Checked checked = month.assertBooks(db);
                        System.out.printf("  the next node listened %.1f s after its launch and finished the month-end %.1f s later; %d rows "
                                        + "checked (%d invoices, %d sandbox charges, %d attempts, %d payments); %.1f s in all%n", nextStart, nextSeconds, checked.rows(),
                                checked.invoices(), checked.ledgerCharges(), checked.attempts(), checked.payments(),
                                (System.nanoTime() - began) / 1e9);
                    } finally {
                        loop.close();
                    }
                } finally {
                    server.close();
                    if (next != null) next.close();
                }
            }
        }
    }

    /** The n-th request: mostly license checks and reads of the month-end's tenant, some writes to the load tenant. */
    private static OpenLoop.Call call(long n, Random random, LiveMonthEnd month, LoadTenant load, List<SiteKey> keys) {
        int pick = random.nextInt(1000);
        if (pick < 570) {
            SiteKey k = keys.get(random.nextInt(keys.size()));
            return OpenLoop.Call.get("validate", k.key(), "/v1/licenses/validate?site_url=" + URLEncoder.encode(k.site(), StandardCharsets.UTF_8),
                    Map.of(tollgate.api.LicensesApi.KEY_HEADER, k.key()));
        }
        Map<String, String> reader = Map.of("Authorization", "Bearer " + month.secretKey);
        if (pick < 820) {
            String account = month.accounts.get(random.nextInt(month.accounts.size()));
            return OpenLoop.Call.get("account", account, "/v1/accounts/" + account, reader);
        }
        if (pick < 950) return OpenLoop.Call.get("list", null, "/v1/accounts?limit=" + (1 + random.nextInt(20)), reader);
        Map<String, String> writer = Map.of("Authorization", "Bearer " + load.secretKey(), "Idempotency-Key", "sigterm-" + SEED + "-" + n);
        if (pick < 980) {
            String email = "load-" + n + "@sigterm.test";
            return OpenLoop.Call.post("open", email, "/v1/accounts", writer, "{\"name\":\"Load " + n + "\",\"email\":\"" + email
                    + "\",\"currency\":\"usd\"}");
        }
        String account = load.accounts().get(random.nextInt(load.accounts().size()));
        return OpenLoop.Call.post("issue", account, "/v1/accounts/" + account + "/licenses", writer, "{\"plan\":\"" + load.plan() + "\"}");
    }

    /**
     * Every answer against the database: 200 (a write stored exactly once), 503 {@code shutting_down} with
     * {@code Retry-After} (nothing stored), no answer (nothing stored); nothing else.
     */
    private static void checkAnswers(List<Shot> shots, DSLContext db, LoadTenant load) {
        Map<String, Integer> storedEmails = new HashMap<>();
        db.fetch("select email from accounts where tenant_id = ? and email like '%@sigterm.test'", load.id())
                .forEach(r -> storedEmails.merge(r.get(0, String.class), 1, Integer::sum));
        Map<String, Integer> storedLicenses = new HashMap<>();
        db.fetch("select account_id from licenses where tenant_id = ?", load.id()).forEach(r -> storedLicenses.merge(r.get(0, String.class), 1, Integer::sum));
        java.util.Set<String> licenseIds = new java.util.HashSet<>(db.fetch("select id from licenses where tenant_id = ?", load.id()).getValues(0, String.class));
        Map<String, Integer> issuedPerAccount = new HashMap<>();
        int opened = 0;
        for (Shot s : shots) {
            switch (s.status()) {
                case 200 -> {
                    switch (s.kind()) {
                        case "validate" -> assertThat(s.body()).as(s.toString()).contains("\"valid\":true");
                        case "account" -> assertThat(s.body()).as(s.toString()).contains("\"id\":\"" + s.subject() + "\"");
                        case "list" -> assertThat(s.body()).as(s.toString()).contains("\"data\":[");
                        case "open" -> {
                            opened++;
                            assertThat(ID.matcher(s.body()).find()).as(s.toString()).isTrue();
                            assertThat(storedEmails.get(s.subject())).as("an account answered 200 is stored once: " + s).isEqualTo(1);
                        }
                        case "issue" -> {
                            Matcher m = LICENSE_ID.matcher(s.body());
                            assertThat(m.find()).as(s.toString()).isTrue();
                            assertThat(licenseIds).as("a license answered 200 is stored: " + s).contains(m.group(1));
                            issuedPerAccount.merge(s.subject(), 1, Integer::sum);
                        }
                        default -> throw new AssertionError(s.kind());
                    }
                }
                case 503 -> {
                    // shutting_down, or overloaded (a turn not had within 5 s, decision 061): either did nothing.
                    assertThat(s.body()).as(s.toString()).containsPattern("\"code\":\"(shutting_down|overloaded)\"");
                    assertThat(s.retryAfter()).as("a 503 says when to retry: " + s).isNotBlank();
                    if (s.kind().equals("open")) assertThat(storedEmails).as("a refused write stored nothing: " + s).doesNotContainKey(s.subject());
                }
                case 0 -> {
                    if (s.kind().equals("open"))
                        assertThat(storedEmails).as("a write without an answer was never read: " + s).doesNotContainKey(s.subject());
                }
                default -> throw new AssertionError("no answer but 200, or 503 shutting_down, during a stop: " + s);
            }
        }
        assertThat(storedEmails.values().stream().mapToInt(Integer::intValue).sum()).as("no account stored without its 200").isEqualTo(opened);
        // Each license request names its account: the licenses stored per account are exactly the 200s for it (a 503 or a
        // request without an answer issued none).
        assertThat(storedLicenses).as("licenses stored per account = requests answered 200 for it").isEqualTo(issuedPerAccount);
        assertThat(opened).as("accounts opened under load").isPositive();
        assertThat(issuedPerAccount).as("licenses issued under load").isNotEmpty();
    }

    /** A live tenant with a license plan and accounts that each have a card on file (a license needs one). */
    private static LoadTenant seedLoadTenant(String url) {
        Config config = TestServer.config(url, TestServer.GENEROUS).withEncryptionKey(ServerProcess.ENCRYPTION_KEY);
        try (Tollgate app = Tollgate.build(config, TestClocks.SYSTEM)) {
            var created = app.tenants.create("Load", Tenant.Mode.LIVE);
            Tenant tenant = created.tenant();
            String plan = app.plans.create(tenant, new PlanDraft("Seat", "license", "usd", 500L, null, null, null, null, null, null, null)).id();
            Instant now = TestClocks.now();
            List<String> accounts = new ArrayList<>();
            List<Object[]> rows = new ArrayList<>(), cards = new ArrayList<>();
            var card = new tollgate.payments.SandboxGateway(null).describe("tok_visa").orElseThrow();
            for (int i = 0; i < LOAD_ACCOUNTS; i++) {
                String account = Ids.next("acct");
                accounts.add(account);
                rows.add(new Object[] {account, tenant.id(), "Load " + i, "seed-" + i + "@load.test", now});
                cards.add(new Object[] {Ids.next("pm"), tenant.id(), account, "tok_visa", card.brand(), card.last4(), card.expMonth(),
                        card.expYear(), account, now});
            }
            app.db.tx(tx -> {
                Bulk.run(tx, "insert into accounts (id, tenant_id, name, email, currency, timezone, created_at) values (?, ?, ?, ?, 'usd', 'UTC', ?)", rows);
                Bulk.run(tx, "insert into payment_methods (id, tenant_id, account_id, gateway, gateway_ref, brand, last4, exp_month, "
                        + "exp_year, primary_for, created_at) values (?, ?, ?, 'sandbox', ?, ?, ?, ?, ?, ?, ?)", cards);
                return null;
            });
            return new LoadTenant(tenant.id(), created.secretKey(), plan, accounts);
        }
    }

    /** Real keys of the month-end's licenses (opened with the servers' encryption key) and their sites. */
    private static List<SiteKey> siteKeys(String url, String tenantId) {
        Vault vault = new Vault(Base64.getDecoder().decode(ServerProcess.ENCRYPTION_KEY));
        try (Database db = Database.open(url, null, null, 1, "keys")) {
            return db.dsl().fetch("select id, key_sealed, site_url from licenses where tenant_id = ? order by id limit 500", tenantId)
                    .map(r -> new SiteKey(vault.openText(r.get(1, byte[].class), r.get(0, String.class)), r.get(2, String.class)));
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) Thread.sleep(Math.max(1, left / 1_000_000));
    }

    private static double processCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
