package tollgate.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import tollgate.testing.LiveMonthEnd;
import tollgate.testing.PgCluster;
import tollgate.testing.ServerProcess;

/**
 * Issue 15 point 6 (decision 051), on throwaway PostgreSQL clusters of the test's own (initdb on a port of their own:
 * the shared cluster on 5432 is never touched). A server process runs a live month-end with charging while two clients
 * keep reading and writing through the API; then the database goes away:
 * <ul>
 * <li>restarted (stopped as by a crash, started again 12 s later — past the pool's 10 s wait for a connection): the
 * requests in the gap answer 503 {@code database_unavailable} with {@code Retry-After}, never a 500; the server
 * reconnects by itself, and the month-end finishes with every account invoiced and charged once;</li>
 * <li>failed over: a synchronous streaming standby made with {@code pg_basebackup}, Tollgate on both through the driver's
 * multi-host URL ({@code targetServerType=primary}); the primary stopped mid-run and the standby promoted: every invoice
 * and payment committed before the stop is on the new primary, and the run finishes there.</li>
 * </ul>
 * Every write a client sent is sent again with its {@code Idempotency-Key} until it is answered 200, and exists once: its
 * key is claimed in the transaction of its work (decision 055), so an outage cannot leave it "in progress" (decision 051's
 * old gap) and no retry is answered 409.
 */
class DatabaseGoesAwayTest {
    private static final int ACCOUNTS = Integer.getInteger("tollgate.dbgone.accounts", 300);

    /** What one request met. */
    record Outcome(String kind, int status, String code, String retryAfter, String email) {}

    @Test
    void aRestartOfPostgresMidRunAnswers503WithRetryAfterAndTheRunFinishesWithNothingLostOrDoubled() throws Exception {
        long began = System.nanoTime();
        Path dir = Files.createTempDirectory("tollgate-restart");
        try (PgCluster pg = PgCluster.create("restart")) {
            LiveMonthEnd month = LiveMonthEnd.seed(pg.url(""), ACCOUNTS, 2);
            Run run = new Run(month, pg.url(""), dir);
            try {
                run.startAndRelease();
                long gapStart = System.nanoTime();
                pg.stop("immediate");
                Thread.sleep(12_000);
                pg.start();
                double gap = (System.nanoTime() - gapStart) / 1e9;
                String figures = run.finish();
                System.out.printf("database restart: a %.1f s gap at progress %d of %d; %s; %.1f s in all%n", gap, run.progressAtGap,
                        month.done(), figures, (System.nanoTime() - began) / 1e9);
            } finally {
                run.close();
            }
        }
    }

    @Test
    void aFailoverToAPromotedStandbyLosesNoCommittedInvoiceOrPaymentAndTheRunFinishesOnTheNewPrimary() throws Exception {
        long began = System.nanoTime();
        Path dir = Files.createTempDirectory("tollgate-failover");
        try (PgCluster primary = PgCluster.create("primary"); PgCluster standby = primary.standbyOf("standby1")) {
            String url = "jdbc:postgresql://127.0.0.1:" + primary.port + ",127.0.0.1:" + standby.port
                    + "/postgres?user=postgres&targetServerType=primary";
            LiveMonthEnd month = LiveMonthEnd.seed(url, ACCOUNTS, 2);
            Run run = new Run(month, url, dir);
            try {
                run.startAndRelease();
                // What the primary has committed now (synchronously on the standby too); then it goes, as by a crash.
                Set<String> invoices = new HashSet<>(), payments = new HashSet<>(), charges = new HashSet<>();
                try (java.sql.Connection c = java.sql.DriverManager.getConnection(primary.url(""))) {
                    read(c, "select id from invoices", invoices);
                    read(c, "select id from payments", payments);
                    read(c, "select idempotency_key from sandbox_charges", charges);
                }
                primary.stop("immediate");
                long gapStart = System.nanoTime();
                // Longer than the pool's 10 s wait for a connection, as in the restart above: a request that meets the
                // gap answers 503 rather than waiting it out (with 3 s, whether any did was chance: a CI run saw none).
                Thread.sleep(12_000);
                standby.promote();
                double gap = (System.nanoTime() - gapStart) / 1e9;
                String figures = run.finish();
                try (java.sql.Connection c = java.sql.DriverManager.getConnection(standby.url(""))) {
                    Set<String> after = new HashSet<>(), paidAfter = new HashSet<>(), chargedAfter = new HashSet<>();
                    read(c, "select id from invoices", after);
                    read(c, "select id from payments", paidAfter);
                    read(c, "select idempotency_key from sandbox_charges", chargedAfter);
                    assertThat(after).as("invoices committed on the old primary").containsAll(invoices);
                    assertThat(paidAfter).as("payments committed on the old primary").containsAll(payments);
                    assertThat(chargedAfter).as("sandbox charges committed on the old primary").containsAll(charges);
                }
                System.out.printf("failover: primary stopped at progress %d of %d with %d invoices, %d payments and %d sandbox charges "
                                + "committed, all found on the promoted standby (%.1f s without a primary); %s; %.1f s in all%n",
                        run.progressAtGap, month.done(), invoices.size(), payments.size(), charges.size(), gap, figures,
                        (System.nanoTime() - began) / 1e9);
            } finally {
                run.close();
            }
        }
    }

    private static void read(java.sql.Connection c, String sql, Set<String> into) throws java.sql.SQLException {
        try (var r = c.createStatement().executeQuery(sql)) {
            while (r.next()) into.add(r.getString(1));
        }
    }

    /** The server process, the month-end and the clients of one run. */
    private static final class Run implements AutoCloseable {
        final LiveMonthEnd month;
        final String url;
        final Path dir;
        final Database watcher;
        final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        final AtomicBoolean stop = new AtomicBoolean();
        final List<Thread> clients = new ArrayList<>();
        ServerProcess server;
        long progressAtGap;

        Run(LiveMonthEnd month, String url, Path dir) {
            this.month = month;
            this.url = url;
            this.dir = dir;
            this.watcher = month.watcher();
        }

        /** Starts the server and the clients, makes the 1st due and waits until about a third of the work is done. */
        void startAndRelease() throws Exception {
            month.holdBack(watcher.dsl());
            server = ServerProcess.launch(url, month.billingDate, dir, "server");
            String base = server.awaitListening(Duration.ofSeconds(180));
            for (int c = 0; c < 2; c++) {
                int client = c;
                clients.add(Thread.ofPlatform().name("caller-" + c).start(() -> call(base, client)));
            }
            month.release(watcher.dsl());
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            while (month.progress(watcher.dsl()) < month.done() / 3 && System.nanoTime() < deadline) Thread.sleep(5);
            progressAtGap = month.progress(watcher.dsl());
        }

        /** Waits for the month-end, checks the answers and the books; answers the figures. */
        String finish() throws Exception {
            month.awaitDone(watcher.dsl(), 300, server.log.toString());
            Thread.sleep(1500); // the clients meet the database back too
            stop.set(true);
            for (Thread t : clients) t.join(60_000);
            assertThat(server.isAlive()).as("the server lived through it; see " + server.log).isTrue();
            Map<Integer, Integer> byStatus = new HashMap<>();
            int unavailable = 0;
            for (Outcome o : outcomes) {
                byStatus.merge(o.status(), 1, Integer::sum);
                assertThat(o.status()).as("no answer but 200 or 503: " + o + "; see " + server.log).isIn(200, 503);
                if (o.status() == 503) {
                    assertThat(o.code()).as(o.toString()).isIn("database_unavailable", "lock_timeout");
                    assertThat(o.retryAfter()).as("a 503 says when to retry: " + o).isNotBlank();
                    if (o.code().equals("database_unavailable")) unavailable++;
                }
            }
            assertThat(unavailable).as("requests in the gap answered 503 database_unavailable: " + byStatus).isPositive();
            // Every account a client asked for exists exactly once (each was sent again with its key until answered 200).
            Set<String> asked = new HashSet<>();
            for (Outcome o : outcomes) if (o.email() != null) asked.add(o.email());
            Map<String, Integer> stored = new HashMap<>();
            watcher.dsl().fetch("select email from accounts where email like '%@gone.test'").forEach(r -> stored.merge(r.get(0, String.class), 1, Integer::sum));
            assertThat(stored.keySet()).as("accounts written through the gap").containsAll(asked);
            assertThat(asked).as("no account nobody asked for").containsAll(stored.keySet());
            stored.forEach((email, n) -> assertThat(n).as(email).isEqualTo(1));
            LiveMonthEnd.Checked checked = month.assertBooks(watcher.dsl());
            assertThat(server.stop()).as("exit after SIGTERM; see " + server.log).isZero();
            return String.format("%d requests (%s by status), %d of them 503 database_unavailable with Retry-After; %d accounts "
                            + "written through it, each once; %d rows of the month-end checked", outcomes.size(), byStatus, unavailable,
                    stored.size(), checked.rows());
        }

        /** Reads a page of accounts and opens an account, again and again; a write not answered 200 is sent again with its key. */
        void call(String base, int client) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
            for (int n = 0; !stop.get(); n++) {
                try {
                    send(http, "read", HttpRequest.newBuilder(URI.create(base + "/v1/accounts?limit=1")).GET(), null);
                    String email = "c" + client + "-" + n + "@gone.test";
                    HttpRequest.Builder write = HttpRequest.newBuilder(URI.create(base + "/v1/accounts"))
                            .header("Content-Type", "application/json").header("Idempotency-Key", "gone-" + email)
                            .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Gone " + n + "\",\"email\":\"" + email
                                    + "\",\"currency\":\"usd\"}"));
                    for (int tries = 0; send(http, "write", write, email) != 200 && tries < 200; tries++) Thread.sleep(250);
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private int send(HttpClient http, String kind, HttpRequest.Builder request, String email) throws InterruptedException {
            try {
                HttpResponse<String> r = http.send(request.copy().header("Authorization", "Bearer " + month.secretKey)
                        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
                java.util.regex.Matcher code = java.util.regex.Pattern.compile("\"code\":\"([a-z_]+)\"").matcher(r.body());
                outcomes.add(new Outcome(kind, r.statusCode(), r.statusCode() >= 400 && code.find() ? code.group(1) : null,
                        r.headers().firstValue("Retry-After").orElse(null), email));
                return r.statusCode();
            } catch (IOException e) {
                throw new AssertionError("the server stopped answering: " + e, e);
            }
        }

        @Override
        public void close() throws Exception {
            stop.set(true);
            for (Thread t : clients) t.interrupt();
            if (server != null) server.close();
            watcher.close();
        }
    }
}
