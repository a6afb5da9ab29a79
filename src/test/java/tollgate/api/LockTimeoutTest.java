package tollgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.FailingWrites;
import tollgate.testing.Fixtures;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * Decision 011: a request whose transaction the database rolls back as a deadlock victim (40P01) or a serialization
 * failure (40001) is answered 503 {@code lock_timeout} with {@code Retry-After}, never a 500; nothing of it is written,
 * and the same request with the same {@code Idempotency-Key} runs again rather than replaying the 503. The failure is
 * forced by a trigger on the event log that fails the tenant's {@code subscription.created}, the last write of a
 * signup (after its subscription, its first invoice and that invoice's charge row).
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class LockTimeoutTest {
    @Parameter
    TestDatabase database;
    TestServer server;
    ApiClient api;

    @BeforeEach
    void tenant() {
        server = TestServer.on(database);
        api = server.newTenant();
    }

    @Test
    void aRequestThatLosesARaceForLocksIs503LockTimeoutWritesNothingAndMayBeSentAgain() throws Exception {
        String plan = Fixtures.flatPlan(api, "usd");
        String body = "{\"plan\":\"" + plan + "\"}";
        List<String> states = database == TestDatabase.POSTGRES ? List.of("40P01", "40001") : List.of("40001");
        for (String state : states) {
            String account = api.newPayingAccount("Racer " + state, "usd", "UTC");
            String path = "/v1/accounts/" + account + "/subscriptions";
            Map<String, String> key = Map.of("Idempotency-Key", "signup-" + state);
            List<Integer> before = written();
            Res refused;
            try (FailingWrites failing = failSignups(state)) {
                refused = api.post(path, body, key);
            }
            assertThat(refused.status()).as(state + ": " + refused).isEqualTo(503);
            assertThat(refused.code()).isEqualTo("lock_timeout");
            assertThat(refused.header("Retry-After")).isEqualTo("1");
            assertThat(api.get(path).json().get("data")).isEmpty();
            assertThat(api.get("/v1/accounts/" + account + "/invoices").json().get("data")).isEmpty();
            assertThat(written()).as("subscriptions, invoices, timeline rows and events of the tenant").isEqualTo(before);

            // The 503 was not kept for the key: the same request runs again, now without the failure.
            Res again = api.post(path, body, key);
            assertThat(again.status()).as(again.toString()).isEqualTo(200);
            assertThat(api.get(path).json().get("data")).hasSize(1);
        }
    }

    /** How many subscriptions, invoices, timeline rows and events the tenant has. */
    private List<Integer> written() {
        var db = server.app.db.dsl();
        String tenant = api.tenant.id();
        return List.of(db.fetchCount(db.selectFrom("subscriptions").where("tenant_id = ?", tenant)),
                db.fetchCount(db.selectFrom("invoices").where("tenant_id = ?", tenant)),
                db.fetchCount(db.selectFrom("timeline").where("tenant_id = ?", tenant)),
                db.fetchCount(db.selectFrom("events").where("tenant_id = ?", tenant)));
    }

    /** From now on the tenant's {@code subscription.created} fails with {@code sqlState}, as a deadlock victim's write does. */
    private FailingWrites failSignups(String sqlState) throws java.sql.SQLException {
        String tenant = api.tenant.id();
        // events: id, tenant_id, seq, type, …
        return FailingWrites.on(server.app.db, database, "events", false, "new.tenant_id = '" + tenant + "' and new.type = 'subscription.created'",
                row -> tenant.equals(row[1]) && "subscription.created".equals(row[3]), sqlState);
    }
}
