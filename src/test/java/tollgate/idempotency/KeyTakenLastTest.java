package tollgate.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.core.Database;
import tollgate.core.Vault;
import tollgate.idempotency.Idempotency.Answer;
import tollgate.tenants.Tenant;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * Decision 066: in {@link Idempotency#runInOne} a kept key is answered without running the work; otherwise the key is
 * claimed last, with its answer, in one statement, and a request that ran meanwhile is undone and answered the
 * claimer's answer; a refusal changes nothing, whatever the work wrote before it refused; a 5xx is not kept.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class KeyTakenLastTest {
    @Parameter
    TestDatabase database;
    TestServer server;
    Tenant tenant;
    Database db;
    Idempotency idempotency;

    private static final byte[] BODY = "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8);

    @BeforeEach
    void open() {
        server = TestServer.on(database);
        tenant = server.newTenant().tenant;
        db = server.app.db;
        db.dsl().execute("create table written (tenant_id varchar(40), what varchar(40))");
        idempotency = new Idempotency(db, new IdempotencyStore(new Vault(new byte[32])), server.app.clock);
    }

    @AfterEach
    void drop() {
        db.dsl().execute("drop table written");
    }

    /** Work as a service does it: a part of the one transaction that writes a row, then the answer. */
    private java.util.function.Supplier<Answer> writing(String what, int status, AtomicInteger runs) {
        return () -> {
            runs.incrementAndGet();
            db.tx(tx -> tx.execute("insert into written (tenant_id, what) values (?, ?)", tenant.id(), what));
            return new Answer(status, "application/json", "{\"status\":" + status + "}");
        };
    }

    private Answer send(String key, java.util.function.Supplier<Answer> work) {
        return idempotency.runInOne(tenant, key, "POST", "/v1/things", BODY, work, first -> first);
    }

    private java.util.List<String> written() {
        return db.dsl().fetch("select what from written where tenant_id = ? order by what", tenant.id()).getValues(0, String.class);
    }

    private java.util.Optional<IdempotencyStore.Entry> kept(String key) {
        return new IdempotencyStore(new Vault(new byte[32])).find(db.dsl(), tenant.id(), key);
    }

    @Test
    void theWorkAndItsAnswerCommitTogetherAndTheReplayRunsNothing() {
        AtomicInteger runs = new AtomicInteger();
        Answer first = send("k-ok", writing("made", 200, runs));
        Answer again = send("k-ok", writing("made again", 200, runs));
        assertThat(first.status()).isEqualTo(200);
        assertThat(again.replayed()).isTrue();
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(written()).containsExactly("made");
        assertThat(kept("k-ok")).hasValueSatisfying(e -> assertThat(e.state()).isEqualTo("done"));
        // The replay was answered from the kept row: its work never ran.
        assertThat(runs.get()).isEqualTo(1);
    }

    @Test
    void aRefusalChangesNothingWhatTheWorkWroteBeforeItAndIsKept() {
        AtomicInteger runs = new AtomicInteger();
        Answer refused = send("k-402", writing("written, then refused", 402, runs));
        assertThat(refused.status()).isEqualTo(402);
        assertThat(written()).as("what the refused work wrote").isEmpty();
        assertThat(kept("k-402")).hasValueSatisfying(e -> {
            assertThat(e.state()).isEqualTo("done");
            assertThat(e.status()).isEqualTo(402);
        });
        Answer replay = send("k-402", writing("never kept", 200, runs));
        assertThat(replay.status()).isEqualTo(402);
        assertThat(replay.replayed()).isTrue();
        assertThat(written()).isEmpty();
    }

    @Test
    void aServerErrorIsNotKeptAndTheRetryRuns() {
        AtomicInteger runs = new AtomicInteger();
        Answer failed = send("k-503", writing("written, then failed", 503, runs));
        assertThat(failed.status()).isEqualTo(503);
        assertThat(written()).isEmpty();
        assertThat(kept("k-503")).isEmpty();
        Answer retry = send("k-503", writing("the retry", 200, runs));
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.replayed()).isFalse();
        assertThat(written()).containsExactly("the retry");
    }

    @Test
    void aRequestThatRanWhileAnotherClaimedTheKeyIsUndoneAndGetsTheOthersAnswer() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        java.util.concurrent.CountDownLatch firstWrote = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var first = pool.submit(() -> send("k-race", () -> {
                Answer a = writing("first", 200, runs).get();
                firstWrote.countDown();
                await(release);
                return a;
            }));
            await(firstWrote);
            // The first has done its work and not yet claimed the key: the second finds no kept row, runs, and claims it.
            Answer second = send("k-race", writing("second", 200, runs));
            release.countDown();
            Answer late = first.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(second.replayed()).isFalse();
            assertThat(late.replayed()).as("the late claimer answers the kept answer").isTrue();
            assertThat(late.body()).isEqualTo(second.body());
            assertThat(runs.get()).as("both ran their work").isEqualTo(2);
            assertThat(written()).as("only the claimer's work is kept").containsExactly("second");
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    private static void await(java.util.concurrent.CountDownLatch latch) {
        try {
            if (!latch.await(30, java.util.concurrent.TimeUnit.SECONDS)) throw new IllegalStateException("timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theSameKeyWithAnotherRequestIsRefusedWithoutRunningIt() {
        AtomicInteger runs = new AtomicInteger();
        send("k-reused", writing("first", 200, runs));
        Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> idempotency.runInOne(tenant, "k-reused", "POST",
                "/v1/things", "{\"name\":\"other\"}".getBytes(StandardCharsets.UTF_8), writing("second", 200, runs), first -> first));
        assertThat(refused).isInstanceOf(tollgate.core.Problem.class);
        assertThat(((tollgate.core.Problem) refused).code()).isEqualTo("idempotency_key_reused");
        assertThat(written()).containsExactly("first");
        assertThat(runs.get()).isEqualTo(1);
    }
}
