package tollgate.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.Fixtures;
import tollgate.testing.FailingWrites;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * Decision 070: every database-only write route keeps its {@code Idempotency-Key}'s answer in the work's own transaction
 * (decision 055's opt-in, taken up by all of them). For each, the database goes away at the last moment (writing the
 * kept answer fails as a server shutting down does): the request answers 503, none of the tenant's rows changed, and the
 * same request sent again with the same key runs once and is then replayed. Under the old three transactions the key
 * stayed "in progress" for 24 hours over a stored change.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class OneTransactionRoutesTest {
    @Parameter
    TestDatabase database;

    /**
     * Where the cases' webhook endpoints point: answers 200 to every delivery, so that no delivery fails and schedules a
     * retry (a row of the tenant's) while the rows are compared.
     */
    private static com.sun.net.httpserver.HttpServer receiver;

    @org.junit.jupiter.api.BeforeAll
    static void startReceiver() throws java.io.IOException {
        receiver = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hooks", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
    }

    @org.junit.jupiter.api.AfterAll
    static void stopReceiver() {
        receiver.stop(0);
    }

    /** A request to send, made ready (its objects created) by a case. */
    record Request(String path, String body) {}

    /** Rows workers change on their own (a sent e-mail, a key's last use): compared by id only. */
    private static final Set<String> BY_ID_ONLY = Set.of("notifications", "webhook_deliveries", "api_keys");

    static Stream<Arguments> routes() {
        List<Arguments> cases = new ArrayList<>();
        add(cases, "POST /v1/accounts/{id}", (server, api) -> new Request("/v1/accounts/" + api.newAccount("Renamed", "usd", "UTC"), "{\"name\":\"New name\"}"));
        add(cases, "POST /v1/api_keys", (server, api) -> new Request("/v1/api_keys", "{\"name\":\"ci\"}"));
        add(cases, "POST /v1/accounts/{id}/balance_transactions", (server, api) -> new Request(
                "/v1/accounts/" + api.newAccount("Credit", "usd", "UTC") + "/balance_transactions", "{\"amount\":-500,\"currency\":\"usd\"}"));
        add(cases, "POST /v1/plans", (server, api) -> new Request("/v1/plans",
                "{\"name\":\"Hosting\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":2900,\"interval\":\"month\"}"));
        add(cases, "POST /v1/plans/{id}", (server, api) -> new Request("/v1/plans/" + Fixtures.flatPlan(api, "usd"), "{\"metadata\":{\"tier\":\"gold\"}}"));
        add(cases, "POST /v1/coupons", (server, api) -> new Request("/v1/coupons", "{\"percent_off\":20,\"duration\":\"once\"}"));
        add(cases, "POST /v1/dunning_policies", (server, api) -> new Request("/v1/dunning_policies",
                "{\"name\":\"Gentle\",\"steps\":[{\"after_days\":0,\"action\":\"notify\",\"template\":\"invoice_unpaid\"}]}"));
        add(cases, "POST /v1/accounts/{id}/invoice_items", (server, api) -> new Request(
                "/v1/accounts/" + api.newAccount("Items", "usd", "UTC") + "/invoice_items", "{\"amount\":500,\"description\":\"Setup\"}"));
        add(cases, "POST /v1/accounts/{id}/invoices", (server, api) -> new Request("/v1/accounts/" + api.newAccount("Draft", "usd", "UTC") + "/invoices", "{}"));
        add(cases, "POST /v1/invoices/{id}", (server, api) -> new Request("/v1/invoices/" + openInvoice(api), "{\"metadata\":{\"po\":\"42\"}}"));
        add(cases, "POST /v1/invoices/{id}/finalize", (server, api) -> new Request("/v1/invoices/" + draftWithLine(api) + "/finalize", null));
        add(cases, "POST /v1/invoices/{id}/lines", (server, api) -> new Request("/v1/invoices/" + draft(api) + "/lines",
                "{\"lines\":[{\"description\":\"Setup fee\",\"amount\":5000}]}"));
        add(cases, "POST /v1/invoices/{id}/void", (server, api) -> new Request("/v1/invoices/" + openInvoice(api) + "/void", null));
        add(cases, "POST /v1/invoices/{id}/mark_uncollectible", (server, api) -> new Request("/v1/invoices/" + openInvoice(api) + "/mark_uncollectible", null));
        add(cases, "POST /v1/invoices/{id}/record_payment", (server, api) -> {
            String invoice = openInvoice(api);
            return new Request("/v1/invoices/" + invoice + "/record_payment", "{\"amount\":2500,\"method\":\"wire\",\"reference\":\"TRF-1\"}");
        });
        add(cases, "POST /v1/accounts/{id}/bundles", (server, api) -> new Request("/v1/accounts/" + api.newPayingAccount("Bundled", "usd", "UTC") + "/bundles",
                "{\"plan\":\"" + Fixtures.licensePlan(api, "usd", 900) + "\",\"size\":2}"));
        add(cases, "POST /v1/bundles/{id}/revoke", (server, api) -> {
            String account = api.newPayingAccount("Bundled", "usd", "UTC");
            String bundle = ok(api.post("/v1/accounts/" + account + "/bundles",
                    "{\"plan\":\"" + Fixtures.licensePlan(api, "usd", 900) + "\",\"size\":2}")).str("id");
            return new Request("/v1/bundles/" + bundle + "/revoke", null);
        });
        add(cases, "POST /v1/licenses/{id}", (server, api) -> new Request("/v1/licenses/" + license(api), "{\"metadata\":{\"site\":\"shop\"}}"));
        add(cases, "POST /v1/licenses/{id}/assign", (server, api) -> new Request("/v1/licenses/" + license(api) + "/assign", "{\"site_url\":\"https://shop.example\"}"));
        add(cases, "POST /v1/licenses/{id}/unassign", (server, api) -> {
            String license = license(api);
            ok(api.post("/v1/licenses/" + license + "/assign", "{\"site_url\":\"https://shop.example\"}"));
            return new Request("/v1/licenses/" + license + "/unassign", null);
        });
        add(cases, "POST /v1/licenses/{id}/revoke", (server, api) -> new Request("/v1/licenses/" + license(api) + "/revoke", null));
        add(cases, "POST /v1/payment_methods/{id}/make_primary", (server, api) -> {
            String account = api.newPayingAccount("Two cards", "usd", "UTC");
            String second = Fixtures.attachCard(api, account, "tok_mastercard");
            return new Request("/v1/payment_methods/" + second + "/make_primary", null);
        });
        add(cases, "POST /v1/portal_sessions", (server, api) -> {
            var signedUp = server.app.portalUsers.signUp(api.tenant, new tollgate.accounts.PortalUsers.SignUp("Portal Ltd", "Grace",
                    "grace@" + api.tenant.id() + ".example", "usd", "UTC", null), "not-a-password-hash");
            return new Request("/v1/portal_sessions", "{\"account\":\"" + signedUp.account().id() + "\",\"return_url\":\"https://seller.example/account\"}");
        });
        add(cases, "POST /v1/subscriptions", (server, api) -> new Request("/v1/subscriptions", "{\"account\":{\"name\":\"Signed up\","
                + "\"email\":\"billing@signed-up.example\",\"currency\":\"usd\"},\"plan\":\"" + Fixtures.flatPlan(api, "usd")
                + "\",\"collection_method\":\"send_invoice\",\"days_until_due\":30}"));
        add(cases, "POST /v1/subscriptions/{id}", (server, api) -> new Request("/v1/subscriptions/" + seatsSubscription(api), "{\"seats\":9}"));
        add(cases, "POST /v1/subscriptions/{id}/cancel", (server, api) -> new Request("/v1/subscriptions/" + seatsSubscription(api) + "/cancel", null));
        add(cases, "POST /v1/webhook_endpoints/{id}/roll_secret", (server, api) -> new Request("/v1/webhook_endpoints/" + endpoint(api) + "/roll_secret", null));
        add(cases, "POST /v1/webhook_endpoints/{id}/test", (server, api) -> new Request("/v1/webhook_endpoints/" + endpoint(api) + "/test", null));
        add(cases, "POST /v1/events/{id}/redeliver", (server, api) -> {
            String endpoint = endpoint(api);
            api.newAccount("Told", "usd", "UTC");
            String event = api.get("/v1/events?type=account.created").json().get("data").get(0).get("id").asText();
            return new Request("/v1/events/" + event + "/redeliver", "{\"endpoint\":\"" + endpoint + "\"}");
        });
        add(cases, "POST /v1/usage_events", (server, api) -> new Request("/v1/usage_events",
                "{\"id\":\"evt-cut\",\"subscription\":\"" + usageSubscription(api) + "\",\"quantity\":3}"));
        add(cases, "POST /v1/usage_events/batch", (server, api) -> {
            String subscription = usageSubscription(api);
            return new Request("/v1/usage_events/batch", "{\"events\":[{\"id\":\"evt-1\",\"subscription\":\"" + subscription
                    + "\",\"quantity\":3},{\"id\":\"evt-2\",\"subscription\":\"" + subscription + "\",\"quantity\":4}]}");
        });
        return cases.stream();
    }

    /** Makes a case's objects on the tenant of {@code api} and answers its request. */
    interface Ready {
        Request of(TestServer server, ApiClient api);
    }

    private static void add(List<Arguments> cases, String route, Ready ready) {
        cases.add(Arguments.of(route, ready));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void theDatabaseLostBeforeTheAnswerIsKeptChangesNothingAndTheRetryRunsOnce(String route, Ready ready) throws Exception {
        TestServer server = TestServer.on(database);
        ApiClient api = server.newTenant();
        Request request = ready.of(server, api);
        Map<String, String> key = Map.of("Idempotency-Key", "cut-" + route);
        Map<String, List<String>> before = rows(server, api, request.path());

        Res cut;
        try (FailingWrites gone = FailingWrites.keptAnswers(server.app.db, database, api.tenant.id())) {
            cut = api.post(request.path(), request.body(), key);
        }
        assertThat(cut.status()).as(cut.toString()).isEqualTo(503);
        assertThat(cut.code()).isEqualTo("database_unavailable");
        assertThat(changes(before, rows(server, api, request.path()))).as("the tenant's rows the cut request changed").isEmpty();

        Res again = api.post(request.path(), request.body(), key);
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.header("Idempotent-Replayed")).isNull();
        Map<String, List<String>> after = rows(server, api, request.path());
        assertThat(after).as("the retry changed the tenant's rows").isNotEqualTo(before);
        Res replayed = api.post(request.path(), request.body(), key);
        assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replayed.text()).isEqualTo(again.text());
        assertThat(changes(after, rows(server, api, request.path()))).as("the tenant's rows the replay changed").isEmpty();
    }

    /**
     * Every row of the tenant, table by table (rows as text, sorted); {@link #BY_ID_ONLY} tables by id; of the audit log,
     * the lines of calls to {@code path}.
     */
    private Map<String, List<String>> rows(TestServer server, ApiClient api, String path) {
        var db = server.app.db.dsl();
        List<String> tables = db.fetch("select lower(table_name) from information_schema.columns where lower(column_name) = 'tenant_id' "
                + "and lower(table_schema) = lower(current_schema()) order by 1").getValues(0, String.class);
        Map<String, List<String>> rows = new TreeMap<>();
        for (String table : tables) {
            String columns = BY_ID_ONLY.contains(table) ? "id" : "*";
            List<String> found = new ArrayList<>(db.fetch("select " + columns + " from " + table + " where tenant_id = ?", api.tenant.id())
                    .map(r -> java.util.Arrays.stream(r.intoArray()).map(OneTransactionRoutesTest::text).toList().toString()));
            // A request without a key has its audit line written after its answer: the set-up's may come late. Only the
            // audit lines of the request under test are compared.
            if (table.equals("audit_log")) found.removeIf(line -> !line.contains("\"path\":\"" + path + "\""));
            java.util.Collections.sort(found);
            rows.put(table, found);
        }
        return rows;
    }

    /** The tables whose rows differ: each with its rows before and after. */
    private static Map<String, String> changes(Map<String, List<String>> before, Map<String, List<String>> after) {
        Map<String, String> changed = new TreeMap<>();
        after.forEach((table, rows) -> {
            if (!rows.equals(before.get(table))) changed.put(table, before.get(table) + " -> " + rows);
        });
        return changed;
    }

    /** A column's value as text; bytes by their content. */
    private static String text(Object value) {
        return value instanceof byte[] bytes ? java.util.HexFormat.of().formatHex(bytes) : String.valueOf(value);
    }

    private static Res ok(Res r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r;
    }

    private static String openInvoice(ApiClient api) {
        String account = api.newAccount("Invoiced", "usd", "UTC");
        ok(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + Fixtures.flatPlan(api, "usd") + "\","
                + "\"collection_method\":\"send_invoice\",\"days_until_due\":30}"));
        return api.get("/v1/accounts/" + account + "/invoices").json().get("data").get(0).get("id").asText();
    }

    private static String draft(ApiClient api) {
        return ok(api.post("/v1/accounts/" + api.newAccount("Draft", "usd", "UTC") + "/invoices",
                "{\"collection_method\":\"send_invoice\",\"days_until_due\":30}")).str("id");
    }

    private static String draftWithLine(ApiClient api) {
        String draft = draft(api);
        ok(api.post("/v1/invoices/" + draft + "/lines", "{\"lines\":[{\"description\":\"Setup fee\",\"amount\":5000}]}"));
        return draft;
    }

    private static String license(ApiClient api) {
        return Fixtures.issueOne(api, api.newPayingAccount("Licensed", "usd", "UTC"), Fixtures.licensePlan(api, "usd", 900));
    }

    private static String seatsSubscription(ApiClient api) {
        String account = api.newPayingAccount("Seats", "usd", "UTC");
        String plan = ok(api.post("/v1/plans", "{\"name\":\"Agency\",\"type\":\"seats\",\"currency\":\"usd\",\"amount\":4900,"
                + "\"included_seats\":5,\"seat_amount\":800}")).str("id");
        return ok(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\",\"seats\":7}")).str("id");
    }

    private static String usageSubscription(ApiClient api) {
        String account = api.newPayingAccount("Metered", "usd", "UTC");
        String plan = ok(api.post("/v1/plans", "{\"name\":\"Requests\",\"type\":\"usage\",\"currency\":\"usd\",\"unit_amount\":2}")).str("id");
        return ok(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\"}")).str("id");
    }

    private static String endpoint(ApiClient api) {
        return ok(api.post("/v1/webhook_endpoints", "{\"url\":\"http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks\",\"enabled_events\":[\"*\"]}")).str("id");
    }
}
