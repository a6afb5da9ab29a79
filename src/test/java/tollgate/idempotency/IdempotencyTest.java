package tollgate.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.TestClocks;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/** SPEC §8: every POST honours Idempotency-Key, per tenant. */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class IdempotencyTest {
    private static final String BODY = "{\"name\":\"Shop\",\"email\":\"a@shop.test\",\"currency\":\"usd\"}";

    @Parameter
    TestDatabase database;
    TestServer server;
    ApiClient api;

    @BeforeEach
    void tenant() {
        server = TestServer.on(database);
        api = server.newTenant();
    }

    private Res post(String key, String body) {
        return api.post("/v1/accounts", body, Map.of("Idempotency-Key", key));
    }

    private int accounts() {
        return api.get("/v1/accounts?limit=100").json().get("data").size();
    }

    @Test
    void aRetryWithTheSameKeyAndBodyGetsTheFirstResponse() {
        Res first = post("key-1", BODY);
        Res retry = post("key-1", BODY);
        assertThat(first.status()).isEqualTo(200);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.text()).isEqualTo(first.text());
        assertThat(accounts()).isEqualTo(1);
    }

    @Test
    void aReplayedAnswerSaysSo() {
        Res first = post("key-replayed", BODY);
        assertThat(first.header("Idempotent-Replayed")).isNull();
        Res retry = post("key-replayed", BODY);
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        Res refused = post("key-replayed-refusal", "{\"name\":\"Shop\"}");
        assertThat(refused.header("Idempotent-Replayed")).isNull();
        assertThat(post("key-replayed-refusal", "{\"name\":\"Shop\"}").header("Idempotent-Replayed")).isEqualTo("true");
    }

    @Test
    void theSameJsonWithKeysInAnotherOrderOrOtherSpacingIsTheSameRequest() {
        String body = """
                {"name":"Shop","email":"a@shop.test","currency":"usd",
                 "company":{"legal_name":"Shop GmbH","address":{"line1":"Hauptstr. 1","country":"DE"}}}""";
        String reordered = """
                {
                  "company" : { "address" : { "country" : "DE", "line1" : "Hauptstr. 1" }, "legal_name" : "Shop GmbH" },
                  "currency" : "usd",  "email" : "a@shop.test",
                  "name" : "Shop"
                }
                """;
        Res first = post("key-json", body);
        assertThat(first.status()).isEqualTo(200);
        Res retry = post("key-json", reordered);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.text()).isEqualTo(first.text());
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(accounts()).isEqualTo(1);
        // Another value is still another request, however it is spaced.
        assertThat(post("key-json", reordered.replace("\"DE\"", "\"AT\"")).status()).isEqualTo(409);
    }

    @Test
    void theSameKeyWithAnotherBodyIs409() {
        post("key-2", BODY);
        Res other = post("key-2", BODY.replace("Shop", "Other shop"));
        assertThat(other.status()).isEqualTo(409);
        assertThat(other.code()).isEqualTo("idempotency_key_reused");
        assertThat(accounts()).isEqualTo(1);
    }

    @Test
    void aRefusalIsReplayedToo() {
        Res first = post("key-3", "{\"name\":\"Shop\"}");
        assertThat(first.status()).isEqualTo(422);
        Res retry = post("key-3", "{\"name\":\"Shop\"}");
        assertThat(retry.status()).isEqualTo(422);
        assertThat(retry.text()).isEqualTo(first.text());
        assertThat(retry.header("content-type")).startsWith("application/problem+json");
    }

    @Test
    void keysBelongToOneTenant() {
        ApiClient other = server.newTenant();
        Res mine = post("shared-key", BODY);
        Res theirs = other.post("/v1/accounts", BODY, Map.of("Idempotency-Key", "shared-key"));
        assertThat(theirs.status()).isEqualTo(200);
        assertThat(theirs.str("id")).isNotEqualTo(mine.str("id"));
    }

    @Test
    void concurrentRequestsWithOneKeyCreateOneAccountAndAllGetItsResponse() throws Exception {
        int n = 12;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Res>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Callable<Res> call = () -> {
                go.await();
                return post("concurrent-key", BODY);
            };
            futures.add(pool.submit(call));
        }
        go.countDown();
        List<Res> results = new ArrayList<>();
        for (Future<Res> f : futures) results.add(f.get());
        pool.shutdown();
        assertThat(results).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        assertThat(results).extracting(Res::text).containsOnly(results.get(0).text());
        assertThat(accounts()).isEqualTo(1);
    }

    @Test
    void keysAreKeptAtLeast24HoursOfTheServersTimeWhateverTheTestClockDoes() {
        Res first = post("old-key", BODY);
        Instant start = Instant.parse(api.get("/v1/test_clock").str("now"));

        // Two days of the test clock later, its daily purges run on the way, the key still answers with the first
        // response: a test clock's advance ages no key (decision 078), as in Stripe.
        advance(start.plus(Duration.ofHours(49)));
        Res retry = post("old-key", BODY);
        assertThat(retry.text()).isEqualTo(first.text());
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(post("old-key", BODY.replace("Shop", "Changed")).status()).isEqualTo(409);
        // A key made now is made at the server's time, not at the clock's two days ahead of it: on a route run with others
        // (decision 068), on one of one transaction (decision 055), on one of three (a card asked of the gateway), and a
        // refusal's, kept on its own.
        String late = post("late-account", BODY.replace("Shop", "Late")).str("id");
        api.post("/v1/plans", "{\"name\":\"Late\",\"type\":\"license\",\"currency\":\"usd\",\"amount\":900}",
                Map.of("Idempotency-Key", "late-plan"));
        api.post("/v1/accounts/" + late + "/payment_methods", "{\"token\":\"tok_visa\"}", Map.of("Idempotency-Key", "late-card"));
        assertThat(api.post("/v1/plans", "{\"name\":\"Refused\"}", Map.of("Idempotency-Key", "late-refusal")).status()).isEqualTo(422);
        for (String key : List.of("late-account", "late-plan", "late-card", "late-refusal"))
            assertThat(Duration.between(madeAt(key), TestClocks.now()).abs()).as(key).isLessThan(Duration.ofMinutes(1));

        // 23 hours old by the server's clock, the next purge keeps it; 25 hours old, it removes it: the key is free again.
        madeAgo("old-key", Duration.ofHours(23));
        advance(start.plus(Duration.ofHours(73)));
        assertThat(post("old-key", BODY).text()).isEqualTo(first.text());
        madeAgo("old-key", Duration.ofHours(25));
        advance(start.plus(Duration.ofHours(97)));
        Res reused = post("old-key", BODY.replace("Shop", "Changed"));
        assertThat(reused.status()).isEqualTo(200);
        assertThat(reused.str("id")).isNotEqualTo(first.str("id"));
    }

    @Test
    void aKeyLeftInProgressByARequestCutOffIsPurgedAfter24HoursToo() {
        // What a request cut off between its claim and its answer leaves (the database went away; decision 051).
        Instant start = Instant.parse(api.get("/v1/test_clock").str("now"));
        server.app.db.dsl().execute("insert into idempotency_keys (tenant_id, idem_key, request_hash, state, created_at) "
                + "values (?, 'cut-off', ?, 'running', ?)", api.tenant.id(), "0".repeat(64), TestClocks.now());

        advance(start.plus(Duration.ofHours(49)));
        assertThat(state("cut-off")).isEqualTo("running");

        // The daily purge takes it as it takes answered keys: sent again once it is 24 hours old, the request runs.
        madeAgo("cut-off", Duration.ofHours(25));
        advance(start.plus(Duration.ofHours(73)));
        assertThat(state("cut-off")).isNull();
        Res again = post("cut-off", BODY);
        assertThat(again.status()).isEqualTo(200);
        assertThat(state("cut-off")).isEqualTo("done");
    }

    private void advance(Instant to) {
        assertThat(api.post("/v1/test_clock/advance", "{\"to\":\"" + to + "\"}").status()).isEqualTo(200);
    }

    private Instant madeAt(String key) {
        return server.app.db.dsl().fetchOne("select created_at from idempotency_keys where tenant_id = ? and idem_key = ?",
                api.tenant.id(), key).get(0, Instant.class);
    }

    /** Ages a key: made {@code ago} before now by the server's clock (the run's, {@link TestClocks}). */
    private void madeAgo(String key, Duration ago) {
        assertThat(server.app.db.dsl().execute("update idempotency_keys set created_at = ? where tenant_id = ? and idem_key = ?",
                TestClocks.now().minus(ago), api.tenant.id(), key)).isEqualTo(1);
    }

    private String state(String key) {
        return server.app.db.dsl().fetchOptional("select state from idempotency_keys where tenant_id = ? and idem_key = ?",
                api.tenant.id(), key).map(r -> r.get(0, String.class)).orElse(null);
    }

    @Test
    void anOverlongKeyIsRefused() {
        Res r = post("k".repeat(256), BODY);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.code()).isEqualTo("idempotency_key_invalid");
        assertThat(accounts()).isZero();
    }
}
