package tollgate.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.Fixtures;
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
        failKeptAnswers();
        try {
            cut = api.post("/v1/accounts", body, key);
        } finally {
            stopFailing();
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
        failKeptAnswers();
        try {
            cut = api.post(path, body, key);
        } finally {
            stopFailing();
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

    /** From now on writing the tenant's kept answer (a key's row written as 'done') fails as a database shutting down. */
    private void failKeptAnswers() throws SQLException {
        try (Connection c = server.app.db.dataSource().getConnection(); Statement s = c.createStatement()) {
            if (database == TestDatabase.H2) {
                GoneAtTheEnd.tenant = api.tenant.id();
                s.execute("create trigger gone_at_the_end before insert, update on idempotency_keys for each row call '"
                        + GoneAtTheEnd.class.getName() + "'");
            } else {
                s.execute("create function gone_at_the_end() returns trigger language plpgsql as $$ begin "
                        + "if new.tenant_id = tg_argv[0] and new.state = 'done' then "
                        + "raise exception 'the database went away (forced by a test)' using errcode = '57P01'; end if; "
                        + "return new; end $$");
                s.execute("create trigger gone_at_the_end before insert or update on idempotency_keys for each row "
                        + "execute function gone_at_the_end('" + api.tenant.id() + "')");
            }
        }
    }

    private void stopFailing() throws SQLException {
        try (Connection c = server.app.db.dataSource().getConnection(); Statement s = c.createStatement()) {
            if (database == TestDatabase.H2) {
                s.execute("drop trigger gone_at_the_end");
            } else {
                s.execute("drop trigger gone_at_the_end on idempotency_keys");
                s.execute("drop function gone_at_the_end()");
            }
        }
    }

    /** H2's triggers are Java classes: this one fails the chosen tenant's kept answers. */
    public static final class GoneAtTheEnd implements org.h2.api.Trigger {
        static volatile String tenant;

        @Override
        public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before, int type) {}

        @Override
        public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
            // idempotency_keys: tenant_id, idem_key, request_hash, state, …
            if (tenant.equals(newRow[0]) && "done".equals(newRow[3]))
                throw new SQLException("the database went away (forced by a test)", "57P01");
        }
    }
}
