package tollgate.subscriptions;

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
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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
 * Decision 069: a tenant's concurrent {@code POST /v1/accounts} and {@code POST /v1/accounts/{id}/subscriptions} run
 * together, many in one transaction, and each still gets what it would have had alone: its own account, its own
 * subscription and first invoice (numbers gapless across batches), its own refusal having written nothing (kept for its
 * key), a replay later; an account's second subscription in a batch gets the instant's next invoice, as it would alone.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class SignupsTogetherTest {
    private static final int THREADS = 16;

    @Parameter
    TestDatabase database;
    TestServer server;
    ApiClient api;
    String hosting;

    @BeforeEach
    void tenant() {
        server = TestServer.on(database);
        api = server.newTenant();
        hosting = Fixtures.flatPlan(api, "usd");
    }

    /** A request: a path, a body and a key (null: none). */
    private record Request(String path, String body, String key) {}

    private Res send(Request r) {
        return r.key() == null ? api.post(r.path(), r.body()) : api.post(r.path(), r.body(), Map.of("Idempotency-Key", r.key()));
    }

    /** Sends {@code requests} from {@link #THREADS} threads released together for each round; answers in order. */
    private List<Res> atOnce(List<Request> requests) throws Exception {
        return AtOnce.send(THREADS, requests, this::send);
    }

    /** {@link #atOnce} while another transaction holds {@code accounts} for a moment, so that batches surely form. */
    private List<Res> atOnceHolding(List<String> accounts, List<Request> requests) throws Exception {
        try (java.sql.Connection holder = server.app.db.dataSource().getConnection()) {
            holder.setAutoCommit(false);
            try (java.sql.PreparedStatement lock = holder.prepareStatement("select id from accounts where tenant_id = ? and id in ("
                    + String.join(", ", java.util.Collections.nCopies(accounts.size(), "?")) + ") for update")) {
                lock.setString(1, api.tenant.id());
                for (int i = 0; i < accounts.size(); i++) lock.setString(i + 2, accounts.get(i));
                lock.executeQuery().close();
            }
            ExecutorService sender = Executors.newSingleThreadExecutor();
            Future<List<Res>> sent = sender.submit(() -> atOnce(requests));
            Thread.sleep(1_500);
            holder.commit();
            List<Res> answers = sent.get(120, TimeUnit.SECONDS);
            sender.shutdown();
            return answers;
        }
    }

    private long[] batches() {
        return AtOnce.batches(server);
    }

    private long count(String sql, Object... args) {
        return server.app.db.dsl().fetchOne(sql, args).get(0, Long.class);
    }

    private static Request subscription(String account, String plan, String key) {
        return new Request("/v1/accounts/" + account + "/subscriptions",
                "{\"plan\":\"" + plan + "\",\"collection_method\":\"send_invoice\",\"days_until_due\":30}", key);
    }

    private void replayed(List<Request> requests, List<Res> answers) {
        for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i).key() == null) continue;
            Res again = send(requests.get(i));
            assertThat(again.header("Idempotent-Replayed")).as(requests.get(i).toString()).isEqualTo("true");
            assertThat(again.status()).isEqualTo(answers.get(i).status());
            assertThat(again.json()).isEqualTo(answers.get(i).json());
        }
    }

    @Test
    void accountsOpenedTogetherAreEachTheirOwn() throws Exception {
        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < 6 * THREADS; i++)
            requests.add(new Request("/v1/accounts", "{\"name\":\"Agency " + i + "\",\"email\":\"a" + i + "@example.com\",\"currency\":\"usd\","
                    + "\"metadata\":{\"n\":\"" + i + "\"}}", i % 4 == 3 ? null : "open-" + i));
        long[] before = batches();

        List<Res> answers = atOnce(requests);

        long[] after = batches();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < requests.size(); i++) {
            Res r = answers.get(i);
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            assertThat(r.str("name")).isEqualTo("Agency " + i);
            assertThat(r.json().at("/metadata/n").asText()).isEqualTo(Integer.toString(i));
            assertThat(ids.add(r.str("id"))).as("an account answered twice").isTrue();
        }
        assertThat(count("select count(*) from accounts where tenant_id = ?", api.tenant.id())).isEqualTo(requests.size());
        assertThat(count("select count(*) from events where tenant_id = ? and type = 'account.created'", api.tenant.id()))
                .isEqualTo(requests.size());
        assertThat(count("select count(*) from audit_log where tenant_id = ? and action = 'api.post' and after_json like '%/v1/accounts%'",
                api.tenant.id())).isEqualTo(requests.size());
        assertThat(after[1] - before[1]).as("requests run together").isEqualTo(requests.size());
        replayed(requests, answers);
        assertThat(count("select count(*) from accounts where tenant_id = ?", api.tenant.id())).isEqualTo(requests.size());
    }

    @Test
    void subscriptionsTogetherEachGetTheirOwnInvoiceNumberedWithoutGaps() throws Exception {
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) accounts.add(api.newAccount("Agency " + i, "usd", "UTC"));
        // Each account subscribed three times at once (requests 3k, 3k + 1 and 3k + 2 go out together from three threads):
        // its later subscriptions may share a batch with its first.
        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < 3 * THREADS; i++)
            requests.add(subscription(accounts.get(i / 3), hosting, i % 5 == 4 ? null : "subscribe-" + i));
        long[] before = batches();

        List<Res> answers = atOnceHolding(accounts, requests);

        long[] after = batches();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < requests.size(); i++) {
            Res r = answers.get(i);
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            assertThat(r.str("account")).isEqualTo(accounts.get(i / 3));
            assertThat(r.str("status")).isEqualTo("active");
            assertThat(ids.add(r.str("id"))).as("a subscription answered twice").isTrue();
        }
        String tenant = api.tenant.id();
        assertThat(count("select count(*) from subscriptions where tenant_id = ?", tenant)).isEqualTo(requests.size());
        assertThat(count("select count(*) from events where tenant_id = ? and type = 'subscription.created'", tenant)).isEqualTo(requests.size());
        // One invoice per subscription (an account's later ones are the instant's next invoices), each for one period.
        assertThat(count("select count(*) from invoices where tenant_id = ?", tenant)).isEqualTo(requests.size());
        assertThat(count("select count(*) from invoices where tenant_id = ? and total = 2500", tenant)).isEqualTo(requests.size());
        for (String account : accounts) {
            assertThat(count("select count(*) from invoices where tenant_id = ? and account_id = ?", tenant, account)).isEqualTo(3);
            assertThat(count("select count(*) from invoice_lines l join invoices i on i.id = l.invoice_id where i.tenant_id = ? "
                    + "and i.account_id = ?", tenant, account)).isEqualTo(3);
        }
        // Events in the order a request after another would have made them: each invoice's, then its subscription's.
        for (String account : accounts)
            assertThat(typesInOrder(account)).as("events of %s", account).isEqualTo("ISISIS");
        List<Long> numbers = server.app.db.dsl().fetch("select number from invoices where tenant_id = ?", tenant)
                .getValues(0, String.class).stream().map(n -> Long.parseLong(n.replaceAll("\\D", ""))).sorted().toList();
        for (int i = 0; i < numbers.size(); i++) assertThat(numbers.get(i)).as("invoice numbers %s", numbers).isEqualTo(i + 1L);
        // Each account's next billing date is scheduled once; every invoice waits for its due date once.
        assertThat(count("select count(*) from timeline where tenant_id = ? and kind = 'billing.run'", tenant)).isEqualTo(THREADS);
        assertThat(count("select count(*) from timeline where tenant_id = ? and kind = 'invoice.overdue'", tenant)).isEqualTo(requests.size());
        long ranBatches = after[0] - before[0];
        long ranTogether = after[1] - before[1];
        assertThat(ranTogether).isEqualTo(requests.size());
        assertThat(ranBatches).as("batches for %d requests", ranTogether).isLessThan(ranTogether);

        replayed(requests, answers);
        assertThat(count("select count(*) from invoices where tenant_id = ?", tenant)).isEqualTo(requests.size());
    }

    /** The account's events in {@code seq} order: I for a run of invoice events, S for a subscription created. */
    private String typesInOrder(String account) {
        StringBuilder order = new StringBuilder();
        for (String type : server.app.db.dsl().fetch("select type from events where tenant_id = ? and account_id = ? order by seq",
                api.tenant.id(), account).getValues(0, String.class)) {
            char c = type.startsWith("invoice.") ? 'I' : type.equals("subscription.created") ? 'S' : 0;
            if (c != 0 && (c == 'S' || order.isEmpty() || order.charAt(order.length() - 1) != 'I')) order.append(c);
        }
        return order.toString();
    }

    @Test
    void anInvoicePaidAtOnceIsIssuedBeforeItIsPaidInTheEventLog() throws Exception {
        Res coupon = api.post("/v1/coupons", "{\"percent_off\": 100, \"duration\": \"forever\"}");
        assertThat(coupon.status()).as(coupon.text()).isEqualTo(200);
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) accounts.add(api.newAccount("Free " + i, "usd", "UTC"));
        // Two subscriptions of each account at once; one in four free (paid at once), so that batches mix the two kinds.
        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < 2 * THREADS; i++)
            requests.add(new Request("/v1/accounts/" + accounts.get(i / 2) + "/subscriptions", "{\"plan\":\"" + hosting
                    + (i % 4 == 0 ? "\",\"coupon\":\"" + coupon.str("id") : "")
                    + "\",\"collection_method\":\"send_invoice\",\"days_until_due\":30}", null));

        List<Res> answers = atOnceHolding(accounts, requests);

        for (Res r : answers) assertThat(r.status()).as(r.text()).isEqualTo(200);
        String tenant = api.tenant.id();
        assertThat(count("select count(*) from invoices where tenant_id = ? and status = 'paid' and total = 0", tenant)).isEqualTo(requests.size() / 4);
        // Each invoice's issue comes before its payment, and each account's first subscription's events before its second's.
        Map<String, Long> issued = new java.util.HashMap<>();
        Map<String, Long> paid = new java.util.HashMap<>();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (org.jooq.Record e : server.app.db.dsl().fetch("select type, seq, data from events where tenant_id = ? "
                + "and type in ('invoice.issued', 'invoice.paid')", tenant)) {
            String invoice = json.readTree(e.get("data", String.class)).get("id").asText();
            (e.get("type", String.class).equals("invoice.issued") ? issued : paid).put(invoice, e.get("seq", Long.class));
        }
        assertThat(issued).hasSize(requests.size());
        assertThat(paid).hasSize(requests.size() / 4);
        paid.forEach((invoice, seq) -> assertThat(issued.get(invoice)).as("%s issued before it is paid", invoice).isLessThan(seq));
        for (String account : accounts) assertThat(typesInOrder(account)).as("events of %s", account).isEqualTo("ISIS");
    }

    @Test
    void refusedSubscriptionsInABatchWriteNothingAndTheirRefusalsAreKept() throws Exception {
        String licensePlan = Fixtures.licensePlan(api, "usd", 900);
        String euros = api.newAccount("Euros", "eur", "UTC");
        List<String> accounts = new ArrayList<>(List.of(euros));
        List<Function<Integer, Request>> kinds = new ArrayList<>();
        List<String[]> expected = new ArrayList<>();
        kinds.add(i -> subscription(accounts.get(1 + i), hosting, "mixed-" + i));
        expected.add(new String[] {"200", null});
        kinds.add(i -> subscription("acct_missing", hosting, "mixed-" + i));
        expected.add(new String[] {"404", "resource_missing"});
        kinds.add(i -> subscription(accounts.get(1 + i), "plan_missing", "mixed-" + i));
        expected.add(new String[] {"404", "resource_missing"});
        kinds.add(i -> subscription(euros, hosting, "mixed-" + i));
        expected.add(new String[] {"422", "currency_mismatch"});
        kinds.add(i -> subscription(accounts.get(1 + i), licensePlan, "mixed-" + i));
        expected.add(new String[] {"422", "plan_type_invalid"});
        kinds.add(i -> new Request("/v1/accounts/" + accounts.get(1 + i) + "/subscriptions", "{\"plan\":\"" + hosting + "\"}", "mixed-" + i));
        expected.add(new String[] {"402", "payment_method_required"});
        kinds.add(i -> new Request("/v1/accounts/" + accounts.get(1 + i) + "/subscriptions",
                "{\"plan\":\"" + hosting + "\",\"coupon\":\"coupon_missing\",\"collection_method\":\"send_invoice\",\"days_until_due\":30}", "mixed-" + i));
        expected.add(new String[] {"404", "resource_missing"});
        kinds.add(i -> subscription(accounts.get(1 + i), hosting, "mixed-" + i));
        expected.add(new String[] {"200", null});
        int n = 4 * THREADS;
        for (int i = 0; i < n; i++) accounts.add(api.newAccount("Agency " + i, "usd", "UTC"));
        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < n; i++) requests.add(kinds.get(i % kinds.size()).apply(i));

        List<Res> answers = atOnceHolding(accounts, requests);

        int ok = 0;
        for (int i = 0; i < n; i++) {
            String[] e = expected.get(i % kinds.size());
            Res r = answers.get(i);
            assertThat(r.status()).as(requests.get(i) + " " + r.text()).isEqualTo(Integer.parseInt(e[0]));
            if (e[1] != null) assertThat(r.code()).isEqualTo(e[1]);
            else ok++;
        }
        String tenant = api.tenant.id();
        assertThat(count("select count(*) from subscriptions where tenant_id = ?", tenant)).isEqualTo(ok);
        assertThat(count("select count(*) from invoices where tenant_id = ?", tenant)).isEqualTo(ok);
        assertThat(count("select count(*) from events where tenant_id = ? and type = 'subscription.created'", tenant)).isEqualTo(ok);
        assertThat(count("select count(*) from audit_log where tenant_id = ? and action = 'api.post' and after_json like '%/subscriptions%'",
                tenant)).isEqualTo(ok);
        // Kept for their keys: a card attached later does not change the 402's answer.
        for (int i = 0; i < n; i++)
            if ("402".equals(expected.get(i % kinds.size())[0])) Fixtures.attachCard(api, accounts.get(1 + i), "tok_visa");
        replayed(requests, answers);
        assertThat(count("select count(*) from subscriptions where tenant_id = ?", tenant)).isEqualTo(ok);
        JsonNode any = answers.getFirst().json();
        assertThat(any.get("plan").asText()).isEqualTo(hosting);
    }
}
