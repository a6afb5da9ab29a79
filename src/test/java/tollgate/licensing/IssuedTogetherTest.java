package tollgate.licensing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import tollgate.testing.AtOnce;
import tollgate.testing.Fixtures;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * Decision 068: a tenant's concurrent license requests run together, many in one transaction, and each still gets what
 * it would have had alone — its own licenses, its own refusal (having written nothing, kept for its key), one license
 * for one key however many times it is sent at once, a replay later — with an event and an audit line per license.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class IssuedTogetherTest {
    private static final int THREADS = 16;

    @Parameter
    TestDatabase database;
    TestServer server;
    ApiClient api;
    String plan;

    @BeforeEach
    void tenant() {
        server = TestServer.on(database);
        api = server.newTenant();
        plan = Fixtures.licensePlan(api, "usd", 900);
    }

    /** One request as a client sends it: to an account, a body, and a key (null: none). */
    private record Request(String account, String body, String key) {}

    private Res send(Request r) {
        String path = "/v1/accounts/" + r.account() + "/licenses";
        return r.key() == null ? api.post(path, r.body()) : api.post(path, r.body(), Map.of("Idempotency-Key", r.key()));
    }

    /**
     * Sends {@code requests} (a multiple of {@link #THREADS}) from {@link #THREADS} threads released together for each
     * round; the answers in the requests' order.
     */
    private List<Res> atOnce(List<Request> requests) throws Exception {
        return AtOnce.send(THREADS, requests, this::send);
    }

    private long[] batches() {
        return AtOnce.batches(server);
    }

    private long count(String sql, Object... args) {
        return server.app.db.dsl().fetchOne(sql, args).get(0, Long.class);
    }

    @Test
    void concurrentRequestsRunTogetherAndEachGetsItsOwnLicenses() throws Exception {
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < 4; i++) accounts.add(Fixtures.payingAccount(api, "Agency " + i, "usd"));
        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < 10 * THREADS; i++) {
            String body = "{\"plan\":\"" + plan + "\",\"quantity\":" + (1 + i % 3) + ",\"metadata\":{\"n\":\"" + i + "\"}}";
            requests.add(new Request(accounts.get(i % 4), body, i % 5 == 4 ? null : "together-" + i));
        }
        long[] before = batches();

        // The accounts held for a moment by another transaction: the first batches wait on them while the other requests
        // queue up, so that some batches surely hold many requests (on a fast database they might otherwise never meet).
        List<Res> answers;
        try (java.sql.Connection holder = server.app.db.dataSource().getConnection()) {
            holder.setAutoCommit(false);
            try (java.sql.PreparedStatement lock = holder.prepareStatement(
                    "select id from accounts where tenant_id = ? and id in (?, ?, ?, ?) for update")) {
                lock.setString(1, api.tenant.id());
                for (int i = 0; i < 4; i++) lock.setString(i + 2, accounts.get(i));
                lock.executeQuery().close();
            }
            ExecutorService sender = Executors.newSingleThreadExecutor();
            Future<List<Res>> sent = sender.submit(() -> atOnce(requests));
            Thread.sleep(1_500);
            holder.commit();
            answers = sent.get(120, java.util.concurrent.TimeUnit.SECONDS);
            sender.shutdown();
        }

        long[] after = batches();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < requests.size(); i++) {
            Res r = answers.get(i);
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            JsonNode data = r.json().get("data");
            assertThat(data).hasSize(1 + i % 3);
            for (JsonNode l : data) {
                assertThat(l.get("account").asText()).isEqualTo(requests.get(i).account());
                assertThat(l.at("/metadata/n").asText()).isEqualTo(Integer.toString(i));
                assertThat(ids.add(l.get("id").asText())).as("a license answered twice").isTrue();
            }
        }
        long issued = ids.size();
        long asked = 0;
        for (int i = 0; i < requests.size(); i++) asked += 1 + i % 3;
        assertThat(issued).isEqualTo(asked);
        assertThat(count("select count(*) from licenses where tenant_id = ?", api.tenant.id())).isEqualTo(issued);
        assertThat(count("select count(*) from events where tenant_id = ? and type = 'license.issued'", api.tenant.id())).isEqualTo(issued);
        assertThat(count("select count(*) from audit_log where tenant_id = ? and action = 'api.post' and after_json like '%/licenses%'",
                api.tenant.id())).isEqualTo(requests.size());
        // Each account's next 1st is a billing date, once.
        assertThat(count("select count(*) from timeline where tenant_id = ? and kind = 'billing.run'", api.tenant.id())).isEqualTo(4);
        // Many requests ran in one transaction: fewer batches than requests.
        long ranBatches = after[0] - before[0];
        long ranTogether = after[1] - before[1];
        assertThat(ranTogether).isEqualTo(requests.size());
        assertThat(ranBatches).as("batches for %d requests", ranTogether).isLessThan(ranTogether);

        // Each keyed request sent again gets its answer replayed, and nothing more is issued.
        for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i).key() == null) continue;
            Res again = send(requests.get(i));
            assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
            assertThat(again.json()).isEqualTo(answers.get(i).json());
        }
        assertThat(count("select count(*) from licenses where tenant_id = ?", api.tenant.id())).isEqualTo(issued);
    }

    @Test
    void refusedRequestsInABatchWriteNothingAndTheirRefusalsAreKept() throws Exception {
        String paying = Fixtures.payingAccount(api, "Paying", "usd");
        String cardless = api.newAccount("Cardless", "usd", "UTC");
        String euros = Fixtures.payingAccount(api, "Euros", "eur");
        String hosting = Fixtures.flatPlan(api, "usd");
        List<Request> requests = new ArrayList<>();
        String[][] kinds = {
                {paying, plan, "200", null},
                {cardless, plan, "402", "payment_method_required"},
                {"acct_missing", plan, "404", "resource_missing"},
                {paying, "plan_missing", "404", "resource_missing"},
                {euros, plan, "422", "currency_mismatch"},
                {paying, hosting, "422", "plan_type_invalid"},
                {paying, plan, "200", null},
                {paying, plan, "200", null}};
        for (int i = 0; i < 4 * THREADS; i++) {
            String[] k = kinds[i % kinds.length];
            requests.add(new Request(k[0], "{\"plan\":\"" + k[1] + "\"}", "mixed-" + i));
        }

        List<Res> answers = atOnce(requests);

        int ok = 0;
        for (int i = 0; i < requests.size(); i++) {
            String[] k = kinds[i % kinds.length];
            Res r = answers.get(i);
            assertThat(r.status()).as(r.text()).isEqualTo(Integer.parseInt(k[2]));
            if (k[3] != null) assertThat(r.code()).isEqualTo(k[3]);
            else ok++;
        }
        assertThat(count("select count(*) from licenses where tenant_id = ? and account_id = ?", api.tenant.id(), paying)).isEqualTo(ok);
        assertThat(count("select count(*) from licenses where tenant_id = ? and account_id <> ?", api.tenant.id(), paying)).isZero();
        assertThat(count("select count(*) from events where tenant_id = ? and type = 'license.issued'", api.tenant.id())).isEqualTo(ok);
        assertThat(count("select count(*) from audit_log where tenant_id = ? and action = 'api.post' and after_json like '%/licenses%'",
                api.tenant.id())).isEqualTo(ok);
        assertThat(count("select count(*) from timeline where tenant_id = ? and kind = 'billing.run'", api.tenant.id())).isEqualTo(1);
        // The refusals were kept for their keys: sent again after the card is added, each is answered as before.
        Fixtures.attachCard(api, cardless, "tok_visa");
        for (int i = 0; i < requests.size(); i++) {
            Res again = send(requests.get(i));
            assertThat(again.status()).isEqualTo(answers.get(i).status());
            assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        }
        assertThat(count("select count(*) from licenses where tenant_id = ?", api.tenant.id())).isEqualTo(ok);
    }

    @Test
    void oneKeySentManyTimesAtOnceIssuesOnceAndAnotherBodyWithItIsRefused() throws Exception {
        String account = Fixtures.payingAccount(api, "Retrier", "usd");
        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            String body = i % 2 == 0 ? "{\"plan\":\"" + plan + "\"}" : "{\"plan\":\"" + plan + "\",\"quantity\":2}";
            requests.add(new Request(account, body, "the-same-key"));
        }

        List<Res> answers = atOnce(requests);

        // One body won the key: its requests all show the same licenses; the other body's are refused with 409.
        long licenses = count("select count(*) from licenses where tenant_id = ?", api.tenant.id());
        assertThat(licenses).isIn(1L, 2L);
        JsonNode winner = null;
        int won = 0;
        for (int i = 0; i < requests.size(); i++) {
            Res r = answers.get(i);
            boolean winningBody = (i % 2 == 0) == (licenses == 1);
            if (!winningBody) {
                assertThat(r.status()).as(r.text()).isEqualTo(409);
                assertThat(r.code()).isEqualTo("idempotency_key_reused");
                continue;
            }
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            if (winner == null) winner = r.json();
            assertThat(r.json()).isEqualTo(winner);
            won++;
        }
        assertThat(won).isEqualTo(THREADS / 2);
        assertThat(winner.get("data")).hasSize((int) licenses);
        assertThat(count("select count(*) from events where tenant_id = ? and type = 'license.issued'", api.tenant.id())).isEqualTo(licenses);
    }
}
