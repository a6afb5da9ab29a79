package tollgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.core.Database;
import tollgate.tenants.Tenant;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.Fixtures;
import tollgate.testing.HeldRow;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * Decision 064: an API request's transaction waits at most 10 s for a row lock (PostgreSQL's {@code lock_timeout}, set for
 * the request's transactions only; H2's {@code LOCK_TIMEOUT} on everything), then answers 503 {@code lock_timeout} having
 * written nothing, and the same request with the same key succeeds once the row is free. Tollgate's own work keeps
 * waiting as long as it takes, also when a request runs it (a test tenant's clock).
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class LockWaitsTest {
    @Parameter
    TestDatabase database;

    @Test
    void aRequestGivesUpOnARowHeldElsewhereAfterTenSecondsHavingWrittenNothingAndItsRetrySucceeds() throws Exception {
        try (TestServer.Client server = TestServer.start(database, c -> c)) {
            ApiClient api = server.newTenant(Tenant.Mode.TEST);
            String plan = Fixtures.licensePlan(api, "usd", 900);
            String account = api.newPayingAccount("Held", "usd", "UTC");
            // A transaction that holds the account's row and does not end (a node cut off mid-transaction, say).
            try (HeldRow held = HeldRow.account(server.app().db, account)) {
                String body = "{\"plan\":\"" + plan + "\"}";
                long start = System.nanoTime();
                Res refused = api.post("/v1/accounts/" + account + "/licenses", body, java.util.Map.of("Idempotency-Key", "held-1"));
                Duration waited = Duration.ofNanos(System.nanoTime() - start);
                assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
                assertThat(refused.code()).isEqualTo("lock_timeout");
                assertThat(refused.header("Retry-After")).isEqualTo("1");
                assertThat(waited).as("the request's wait for the row").isBetween(Duration.ofMillis(9_500), Duration.ofSeconds(25));

                held.close();
                assertThat(api.get("/v1/accounts/" + account + "/licenses").json().get("data")).as("nothing written").isEmpty();
                Res retried = api.post("/v1/accounts/" + account + "/licenses", body, java.util.Map.of("Idempotency-Key", "held-1"));
                assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
                assertThat(retried.header("Idempotent-Replayed")).isNull();
                assertThat(api.get("/v1/accounts/" + account + "/licenses").json().get("data")).hasSize(1);
            }
        }
    }

    @Test
    void onlyTheTransactionsBegunWithinTheBoundGiveUpAndNestedOnesKeepTheirOutersBound() {
        try (TestServer.Client server = TestServer.start(database, c -> c)) {
            Database db = server.app().db;
            Duration ten = Duration.ofSeconds(10);
            if (database == TestDatabase.H2) {
                // H2 bounds every lock wait by its URL's LOCK_TIMEOUT; the bound adds no statement and runs the work.
                Integer seven = db.waitingForLocksAtMost(ten, () -> db.tx(tx -> tx.fetchOne("select 7").get(0, Integer.class)));
                assertThat(seven).isEqualTo(7);
                return;
            }
            String bounded = db.waitingForLocksAtMost(ten, () -> db.tx(LockWaitsTest::show));
            String part = db.waitingForLocksAtMost(ten, () -> db.inOne(tx -> db.tx(LockWaitsTest::show)));
            // Outside the bound (the workers, the pool's next user of the same connection): as long as it takes.
            String after = db.tx(LockWaitsTest::show);
            String ownWork = db.waitingForLocksAtMost(ten, () -> db.waitingForLocksAsLongAsItTakes(() -> db.tx(LockWaitsTest::show)));
            String afterOwnWork = db.waitingForLocksAtMost(ten, () -> {
                db.waitingForLocksAsLongAsItTakes(() -> db.tx(LockWaitsTest::show));
                return db.tx(LockWaitsTest::show);
            });
            String afterInOne = db.inOne(LockWaitsTest::show);
            assertThat(bounded).isEqualTo("10s");
            assertThat(part).as("a part of an inOne transaction").isEqualTo("10s");
            assertThat(after).isEqualTo("0");
            assertThat(afterInOne).isEqualTo("0");
            assertThat(ownWork).as("Tollgate's own work run by a request (a test tenant's clock)").isEqualTo("0");
            assertThat(afterOwnWork).as("the request's bound back after it").isEqualTo("10s");
        }
    }

    private static String show(org.jooq.DSLContext tx) {
        return tx.fetchOne("show lock_timeout").get(0, String.class);
    }
}
