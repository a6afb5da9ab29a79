package tollgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.Config;
import tollgate.tenants.Tenant;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.Fixtures;
import tollgate.testing.HeldRow;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * Decision 061: however many API requests arrive, at most {@link Config#apiConcurrency} are at their work at once, so
 * the pool keeps connections for Tollgate's own workers. Here every license request for one account waits on that
 * account's row, held by a transaction of the test's: the admitted ones each hold a connection, the rest wait for a turn
 * (both counts on {@code /metrics}) and, after 5 s, answer 503 {@code overloaded} having written nothing; meanwhile a worker still gets a connection at
 * once (without the limit the requests would hold all 16 and it would wait the pool's 10 s and fail).
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class AdmittedRequestsTest {
    @Parameter
    TestDatabase database;

    @Test
    void requestsBeyondTheAdmittedWaitTheirTurnThenAnswerOverloadedWhileWorkersKeepTheirConnections() throws Exception {
        int admitted = Config.apiConcurrency(java.util.Map.of(), 16);
        int beyond = 12;
        try (TestServer.Client server = TestServer.start(database, c -> c)) {
            ApiClient api = server.newTenant(Tenant.Mode.TEST);
            String plan = Fixtures.licensePlan(api, "usd", 900);
            String account = api.newPayingAccount("Held", "usd", "UTC");
            ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
            // The account's row held as a charge or another request would hold it: license requests queue behind it.
            try (HeldRow held = HeldRow.account(server.app().db, account)) {
                List<Future<Res>> answers = new ArrayList<>();
                for (int i = 0; i < admitted + beyond; i++)
                    answers.add(threads.submit(() -> api.post("/v1/accounts/" + account + "/licenses", "{\"plan\":\"" + plan + "\"}")));
                // Every request has arrived: the admitted wait on the row, the others for a turn (as /metrics shows it).
                ApiClient ops = server.anonymous();
                long arrival = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (gauge(ops, "tollgate_api_requests_at_work") != admitted || gauge(ops, "tollgate_api_requests_waiting") != beyond) {
                    assertThat(System.nanoTime()).as("every request arrived within 20 s").isLessThan(arrival);
                    Thread.sleep(20);
                }

                long start = System.nanoTime();
                assertThat(server.app().db.dsl().fetchValue("select 1")).isNotNull();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("a worker's wait for a connection")
                        .isLessThan(Duration.ofSeconds(2));

                Thread.sleep(5_000); // past the 5 s a request waits for its turn
                held.close();
                int issued = 0;
                int overloaded = 0;
                for (Future<Res> f : answers) {
                    Res r = f.get(30, TimeUnit.SECONDS);
                    if (r.status() == 200) issued++;
                    else {
                        assertThat(r.status()).as(r.toString()).isEqualTo(503);
                        assertThat(r.code()).isEqualTo("overloaded");
                        assertThat(r.header("Retry-After")).isEqualTo("1");
                        overloaded++;
                    }
                }
                assertThat(issued).isEqualTo(admitted);
                assertThat(overloaded).isEqualTo(beyond);
                assertThat(api.get("/v1/accounts/" + account + "/licenses").json().get("data")).hasSize(admitted);
                assertThat(gauge(ops, "tollgate_api_requests_at_work")).isZero();
                assertThat(gauge(ops, "tollgate_api_requests_waiting")).isZero();
            } finally {
                threads.shutdownNow();
            }
        }
    }

    /** A gauge's value on the server's {@code /metrics} (Prometheus text). */
    private static int gauge(ApiClient ops, String name) {
        Res metrics = ops.get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        for (String line : metrics.text().split("\n"))
            if (line.startsWith(name + " ")) return (int) Double.parseDouble(line.substring(name.length() + 1).strip());
        throw new AssertionError("no " + name + " on /metrics");
    }
}
