package tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tollgate.core.Database;
import tollgate.testing.TestDatabase;

/**
 * Issue 15 point 9 (decision 045): the server, a process of its own, gets SIGTERM while clients keep writing. Every request
 * that got an answer agrees with the database (200: its account is there once; 503 {@code shutting_down} with
 * {@code Retry-After}: nothing of it is), a request without an answer left nothing either (the server never read it), no
 * other 5xx, no row of the timeline left locked, and the process exits 0 within the drain's bound. On PostgreSQL when
 * {@code TOLLGATE_TEST_DATABASE_URL} is set, else on an H2 file.
 */
class ShutdownUnderLoadTest {
    private static final Pattern LISTENING = Pattern.compile("Tollgate is listening on (http://\\S+)");
    private static final Pattern ID = Pattern.compile("\"id\":\"(acct_[^\"]+)\"");
    private static final int CLIENTS = 6;
    private static final String KEY = "tg_test_shutdownunderload0001";

    @TempDir
    Path dir;

    /** What one request met: the status (0 for no answer), the account it made, the headers that matter. */
    record Outcome(String email, int status, String account, String retryAfter, String body, String error) {}

    @Test
    void sigtermUnderLoadAnswersEveryRequestItReadCommitsWholeRequestsOnlyAndExitsZero() throws Exception {
        String pg = TestDatabase.available().contains(TestDatabase.POSTGRES) ? TestDatabase.POSTGRES.freshUrl() : null;
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Map<String, String> env = new HashMap<>(Map.of("TOLLGATE_PORT", Integer.toString(port), "TOLLGATE_DATA_DIR", dir.resolve("data").toString(),
                "TOLLGATE_BOOTSTRAP_KEY", KEY, "TOLLGATE_ENCRYPTION_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
        if (pg != null) env.put("TOLLGATE_DATABASE_URL", pg);
        Path log = dir.resolve("server.log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Cli.class.getName(), "serve")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process server = builder.start();
        try {
            String base = awaitListening(server, log);
            ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.add(Thread.ofPlatform().name("load-" + c).start(() -> drive(base, client, stop, outcomes)));
            }
            // Load for a while before the signal, and after it until the process is gone (and a moment longer).
            long loadStart = System.nanoTime();
            while (outcomes.stream().filter(o -> o.status() == 200).count() < 100
                    && System.nanoTime() - loadStart < TimeUnit.SECONDS.toNanos(60)) Thread.sleep(10);
            Thread.sleep(500);
            int beforeSignal = outcomes.size();
            double rate = beforeSignal / ((System.nanoTime() - loadStart) / 1e9);
            long signalled = System.nanoTime();
            server.destroy(); // SIGTERM
            boolean exited = server.waitFor(40, TimeUnit.SECONDS);
            double stopSeconds = (System.nanoTime() - signalled) / 1e9;
            Thread.sleep(300);
            stop.set(true);
            for (Thread t : clients) t.join(30_000);
            System.out.printf("shutdown under load: %.0f requests/s from %d clients before SIGTERM; %d requests in all; stopped in %.1f s%n",
                    rate, CLIENTS, outcomes.size(), stopSeconds);
            assertThat(exited).as("the server exits within 40 s of SIGTERM; see " + log).isTrue();
            assertThat(server.exitValue()).as("exit status after SIGTERM; see " + log).isZero();
            assertThat(Files.readString(log)).contains("Tollgate stopped").doesNotContain("unhandled error");

            try (Database db = Database.open(pg != null ? pg : Database.h2FileUrl(dir.resolve("data")), null, null, 1)) {
                Map<String, Integer> stored = new HashMap<>();
                db.dsl().fetch("select email from accounts where email like '%@load.test'")
                        .forEach(r -> stored.merge(r.get(0, String.class), 1, Integer::sum));
                int ok = 0, refused = 0, unanswered = 0;
                for (Outcome o : outcomes) {
                    switch (o.status()) {
                        case 200 -> {
                            ok++;
                            assertThat(o.account()).as(o.toString()).isNotNull();
                            assertThat(stored.get(o.email())).as("an answered account is stored once: " + o).isEqualTo(1);
                        }
                        case 503 -> {
                            refused++;
                            assertThat(o.retryAfter()).as("a 503 says when to retry: " + o).isNotBlank();
                            assertThat(o.body()).as(o.toString()).contains("\"code\":\"shutting_down\"");
                            assertThat(stored).as("a refused request wrote nothing: " + o).doesNotContainKey(o.email());
                        }
                        case 0 -> {
                            unanswered++;
                            assertThat(stored).as("a request without an answer was never read: " + o).doesNotContainKey(o.email());
                        }
                        default -> throw new AssertionError("no answer but 200 or 503 during a shutdown: " + o);
                    }
                }
                System.out.printf("  %d answered 200, %d answered 503 with Retry-After, %d not answered (connection refused or "
                        + "closed before the request was read)%n", ok, refused, unanswered);
                // Six clients keep up to six requests in flight at the signal whatever the rate; on a loaded machine the rate is low.
                assertThat(ok).isGreaterThanOrEqualTo(20);
                assertThat(stored.values().stream().mapToInt(Integer::intValue).sum()).as("no account without its 200").isEqualTo(ok);
                long pending = db.dsl().fetchOne("select count(*) from timeline where state = 'pending'").get(0, Long.class);
                long claimable = db.tx(tx -> (long) tx.fetch("select id from timeline where state = 'pending' for update skip locked").size());
                assertThat(claimable).as("no timeline row is left claimed by the stopped server").isEqualTo(pending);
            }
        } finally {
            server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Opens accounts as fast as one client can, each with its own e-mail address and Idempotency-Key, until told to stop. */
    private static void drive(String base, int client, AtomicBoolean stop, ConcurrentLinkedQueue<Outcome> outcomes) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        for (int n = 0; !stop.get(); n++) {
            String email = "c" + client + "-" + n + "@load.test";
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/accounts")).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                    .header("Idempotency-Key", "load-" + email)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Load " + client + "-" + n + "\",\"email\":\"" + email
                            + "\",\"currency\":\"usd\"}")).build();
            try {
                HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                Matcher m = ID.matcher(r.body());
                outcomes.add(new Outcome(email, r.statusCode(), m.find() ? m.group(1) : null,
                        r.headers().firstValue("Retry-After").orElse(null), r.body(), null));
            } catch (IOException e) {
                outcomes.add(new Outcome(email, 0, null, null, null, e.toString()));
                pauseQuietly(); // refused: the port is closed; do not spin
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void pauseQuietly() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String awaitListening(Process server, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && server.isAlive()) {
            Optional<String> base = Files.exists(log) ? LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8)).results()
                    .map(m -> m.group(1)).findFirst() : Optional.empty();
            if (base.isPresent()) return base.get().replace("localhost", "127.0.0.1");
            Thread.sleep(50);
        }
        throw new AssertionError("the server did not start; see " + log + ":\n" + (Files.exists(log) ? Files.readString(log) : ""));
    }
}
