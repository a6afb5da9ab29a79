package tollgate.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.Fixtures;
import tollgate.testing.FailingWrites;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * Decision 055: on the routes that write only to the database, an {@code Idempotency-Key}'s answer is written in the
 * work's transaction. The database is made to go away at the last moment (the write of the kept answer fails as a
 * server shutting down does, SQLSTATE 57P01): nothing of the work is left, and the same request sent again with the same
 * key runs once — where the key used to stay "in progress" for 24 hours (409 after a 30 s wait) over a stored account.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class AnswerKeptWithTheWorkTest {
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
    void theDatabaseLostBeforeTheAnswerIsKeptLeavesNothingAndTheRetryRunsOnce() throws Exception {
        String body = "{\"name\":\"Shop\",\"email\":\"a@shop.test\",\"currency\":\"usd\"}";
        Map<String, String> key = Map.of("Idempotency-Key", "lost-at-the-end");
        Res cut;
        try (FailingWrites gone = FailingWrites.keptAnswers(server.app.db, database, api.tenant.id())) {
            cut = api.post("/v1/accounts", body, key);
        }
        assertThat(cut.status()).as(cut.toString()).isEqualTo(503);
        assertThat(cut.code()).isEqualTo("database_unavailable");
        assertThat(count("accounts")).as("the account of the cut request").isZero();
        assertThat(count("idempotency_keys")).as("the key's claim").isZero();

        Res again = api.post("/v1/accounts", body, key);
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.header("Idempotent-Replayed")).isNull();
        Res replayed = api.post("/v1/accounts", body, key);
        assertThat(replayed.text()).isEqualTo(again.text());
        assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(count("accounts")).isEqualTo(1);
    }

    @Test
    void aSubscriptionCutAtTheEndTakesNoInvoiceNumber() throws Exception {
        String plan = Fixtures.flatPlan(api, "usd");
        String account = api.newAccount("Numbered", "usd", "UTC");
        String path = "/v1/accounts/" + account + "/subscriptions";
        String body = "{\"plan\":\"" + plan + "\",\"collection_method\":\"send_invoice\",\"days_until_due\":30}";
        Map<String, String> key = Map.of("Idempotency-Key", "signup-lost-at-the-end");
        Res cut;
        try (FailingWrites gone = FailingWrites.keptAnswers(server.app.db, database, api.tenant.id())) {
            cut = api.post(path, body, key);
        }
        assertThat(cut.status()).as(cut.toString()).isEqualTo(503);
        assertThat(count("subscriptions")).isZero();
        assertThat(count("invoices")).isZero();

        Res again = api.post(path, body, key);
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(api.post(path, body, key).text()).isEqualTo(again.text());
        assertThat(count("subscriptions")).isEqualTo(1);
        assertThat(count("invoices")).isEqualTo(1);
        // Gapless: the rolled-back invoice's number was rolled back with it, so the one invoice is the first number.
        var db = server.app.db.dsl();
        assertThat(db.fetchOne("select max(last_number) from document_numbers where tenant_id = ?", api.tenant.id()).get(0, Long.class))
                .isEqualTo(1L);
    }

    @Test
    void aTestTenantsFirstChargeRunsAfterTheCommitBeforeTheAnswerAndTheReplayIsThatAnswer() {
        String plan = Fixtures.flatPlan(api, "usd");
        String account = api.newPayingAccount("Charged", "usd", "UTC");
        String path = "/v1/accounts/" + account + "/subscriptions";
        String body = "{\"plan\":\"" + plan + "\"}";
        Map<String, String> key = Map.of("Idempotency-Key", "signup-charged");
        Res first = api.post(path, body, key);
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        // Decision 028: the first invoice's charge, made due by the change, ran before the answer (after the commit).
        var invoices = api.get("/v1/accounts/" + account + "/invoices").json().get("data");
        assertThat(invoices).hasSize(1);
        assertThat(invoices.get(0).get("status").asText()).isEqualTo("paid");
        Res replayed = api.post(path, body, key);
        assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replayed.text()).isEqualTo(first.text());
        assertThat(count("subscriptions")).isEqualTo(1);
        assertThat(count("payments")).isEqualTo(1);
    }

    private int count(String table) {
        var db = server.app.db.dsl();
        return db.fetchCount(db.selectFrom(table).where("tenant_id = ?", api.tenant.id()));
    }
}
