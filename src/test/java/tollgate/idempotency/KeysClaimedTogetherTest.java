package tollgate.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.core.Database;
import tollgate.core.Vault;
import tollgate.idempotency.Idempotency.Answer;
import tollgate.idempotency.Idempotency.Keyed;
import tollgate.tenants.Tenant;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * Decision 068, {@link Idempotency#runAllInOne}: many requests' work and their keys' answers in one transaction. A key
 * shared with an earlier request of the batch leaves its request out of the work (it runs on its own); a key kept
 * before, or taken by another transaction while the work runs, undoes the whole batch, leaving every request to run on
 * its own; refusals are kept like any answer.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class KeysClaimedTogetherTest {
    @Parameter
    TestDatabase database;
    TestServer server;
    Tenant tenant;
    Database db;
    Idempotency idempotency;

    private static final byte[] BODY = "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8);
    private static final String HASH = Idempotency.requestHash("POST", "/v1/things", BODY);

    @BeforeEach
    void open() {
        server = TestServer.on(database);
        tenant = server.newTenant().tenant;
        db = server.app.db;
        db.dsl().execute("create table written_together (tenant_id varchar(40), what varchar(40))");
        idempotency = new Idempotency(db, new IdempotencyStore(new Vault(new byte[32])), server.app.clock);
    }

    @AfterEach
    void drop() {
        db.dsl().execute("drop table written_together");
    }

    private static Answer answer(int status, String what) {
        return new Answer(status, "application/json", "{\"what\":\"" + what + "\"}");
    }

    /** Work that writes a row per request it is given (named by its position) and answers 200, or 402 for those in {@code refused}. */
    private java.util.function.Function<List<Integer>, List<Answer>> writing(List<List<Integer>> given, List<Integer> refused) {
        return run -> {
            given.add(List.copyOf(run));
            List<Answer> out = new ArrayList<>();
            for (int i : run) {
                if (refused.contains(i)) {
                    out.add(answer(402, "refused " + i));
                    continue;
                }
                db.tx(tx -> tx.execute("insert into written_together (tenant_id, what) values (?, ?)", tenant.id(), "w" + i));
                out.add(answer(200, "made " + i));
            }
            return out;
        };
    }

    private List<String> written() {
        return db.dsl().fetch("select what from written_together where tenant_id = ? order by what", tenant.id()).getValues(0, String.class);
    }

    private Answer replay(String key) {
        return idempotency.runInOne(tenant, key, "POST", "/v1/things", BODY, () -> answer(200, "ran again"), a -> a);
    }

    @Test
    void eachRequestsAnswerIsKeptWithTheWorkAndRefusalsWriteNothing() {
        List<List<Integer>> given = new ArrayList<>();
        List<Answer> answers = idempotency.runAllInOne(tenant,
                List.of(new Keyed("t-a", HASH), new Keyed(null, null), new Keyed("t-c", HASH)), writing(given, List.of(2)));

        assertThat(given).containsExactly(List.of(0, 1, 2));
        assertThat(answers).extracting(Answer::status).containsExactly(200, 200, 402);
        assertThat(written()).containsExactly("w0", "w1");
        Answer a = replay("t-a");
        assertThat(a.replayed()).isTrue();
        assertThat(a.body()).isEqualTo(answers.get(0).body());
        Answer c = replay("t-c");
        assertThat(c.replayed()).isTrue();
        assertThat(c.status()).isEqualTo(402);
        assertThat(written()).containsExactly("w0", "w1");
    }

    @Test
    void aKeySharedInTheBatchLeavesItsLaterRequestToRunOnItsOwn() {
        List<List<Integer>> given = new ArrayList<>();
        List<Answer> answers = idempotency.runAllInOne(tenant,
                List.of(new Keyed("t-twice", HASH), new Keyed("t-twice", HASH), new Keyed("t-once", HASH)), writing(given, List.of()));

        assertThat(given).containsExactly(List.of(0, 2));
        assertThat(answers.get(0).status()).isEqualTo(200);
        assertThat(answers.get(1)).isNull();
        assertThat(answers.get(2).status()).isEqualTo(200);
        assertThat(written()).containsExactly("w0", "w2");
        // Run on its own, the request that shared a key gets the first's answer.
        Answer second = replay("t-twice");
        assertThat(second.replayed()).isTrue();
        assertThat(second.body()).isEqualTo(answers.get(0).body());
    }

    @Test
    void aKeyKeptBeforeUndoesTheBatchAndEachRequestRunsOnItsOwn() {
        Answer kept = replay("t-kept"); // kept before: its "ran again" answer
        List<List<Integer>> given = new ArrayList<>();
        List<Answer> answers = idempotency.runAllInOne(tenant, List.of(new Keyed("t-new", HASH), new Keyed("t-kept", HASH)),
                writing(given, List.of()));

        assertThat(given).as("the work ran once, before the keys were claimed").containsExactly(List.of(0, 1));
        assertThat(answers).containsOnlyNulls();
        assertThat(written()).as("the batch's work is rolled back").isEmpty();
        // On its own, the replay is answered from its row and the other request runs.
        Answer replayed = replay("t-kept");
        assertThat(replayed.replayed()).isTrue();
        assertThat(replayed.body()).isEqualTo(kept.body());
        assertThat(replay("t-new").replayed()).isFalse();
    }

    @Test
    void aKeyTakenByAnotherTransactionMeanwhileUndoesTheBatch() {
        List<List<Integer>> given = new ArrayList<>();
        java.util.function.Function<List<Integer>, List<Answer>> work = writing(given, List.of());
        List<Answer> answers = idempotency.runAllInOne(tenant, List.of(new Keyed("t-x", HASH), new Keyed("t-raced", HASH)), run -> {
            List<Answer> out = work.apply(run);
            // Another request takes one of the keys and commits while this batch has not yet claimed its keys.
            Thread other = Thread.ofPlatform().start(() -> replay("t-raced"));
            try {
                other.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return out;
        });

        assertThat(given).hasSize(1);
        assertThat(answers).containsOnlyNulls();
        assertThat(written()).as("the batch's work is rolled back").isEmpty();
        assertThat(new IdempotencyStore(new Vault(new byte[32])).find(db.dsl(), tenant.id(), "t-x")).isEmpty();
        // Each then runs on its own: the raced key answers the other request's answer; the other key runs.
        assertThat(replay("t-raced").body()).contains("ran again");
        assertThat(replay("t-x").replayed()).isFalse();
    }

    @Test
    void workThatFailsOrAnswersAServerErrorUndoesTheBatchAndEachRequestRunsOnItsOwn() {
        List<Answer> failed = idempotency.runAllInOne(tenant, List.of(new Keyed("t-500", HASH), new Keyed("t-ok", HASH)), run -> {
            db.tx(tx -> tx.execute("insert into written_together (tenant_id, what) values (?, ?)", tenant.id(), "half"));
            return List.of(answer(200, "fine"), answer(500, "broken"));
        });
        List<Answer> thrown = idempotency.runAllInOne(tenant, List.of(new Keyed("t-throws", HASH)), run -> {
            db.tx(tx -> tx.execute("insert into written_together (tenant_id, what) values (?, ?)", tenant.id(), "half"));
            throw new IllegalArgumentException("one order's work failed");
        });

        // One request's failure is not the others' answer: nothing is kept or written, and each may run on its own.
        assertThat(failed).containsOnlyNulls();
        assertThat(thrown).containsOnlyNulls();
        assertThat(written()).isEmpty();
        for (String key : List.of("t-500", "t-ok", "t-throws"))
            assertThat(new IdempotencyStore(new Vault(new byte[32])).find(db.dsl(), tenant.id(), key)).isEmpty();
    }
}
