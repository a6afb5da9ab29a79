package tollgate.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
 * Decision 073: {@code POST /v1/subscriptions} opens a new account with its subscription in one request (or subscribes
 * an existing account by id). The account, its subscription and the first invoice are written together or not at all;
 * concurrent ones run together and each still gets its own account, subscription and gapless invoice number.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class AccountWithSubscriptionTest {
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

    private static String newAccount(String name, String extra) {
        return "{\"name\":\"" + name + "\",\"email\":\"billing@" + name.toLowerCase(java.util.Locale.ROOT).replace(' ', '-')
                + ".example\",\"currency\":\"usd\"" + extra + "}";
    }

    private String signup(String account, String plan) {
        return "{\"account\":" + account + ",\"plan\":\"" + plan + "\",\"collection_method\":\"send_invoice\",\"days_until_due\":30}";
    }

    private long count(String sql, Object... args) {
        return server.app.db.dsl().fetchOne(sql, args).get(0, Long.class);
    }

    /** Rows the tenant has that a signup writes: accounts, subscriptions, invoices, events, notifications. */
    private List<Long> rows() {
        String t = api.tenant.id();
        return List.of(count("select count(*) from accounts where tenant_id = ?", t), count("select count(*) from subscriptions where tenant_id = ?", t),
                count("select count(*) from invoices where tenant_id = ?", t), count("select count(*) from events where tenant_id = ?", t),
                count("select count(*) from notifications where tenant_id = ?", t));
    }

    @Test
    void oneRequestOpensTheAccountSubscribesItAndIssuesTheFirstInvoice() {
        Res r = api.post("/v1/subscriptions", signup(newAccount("Agency One", ",\"timezone\":\"Europe/Berlin\",\"metadata\":{\"crm\":\"42\"},"
                + "\"company\":{\"legal_name\":\"Agency One GmbH\"}"), hosting), Map.of("Idempotency-Key", "signup-1"));

        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.str("object")).isEqualTo("subscription");
        assertThat(r.str("status")).isEqualTo("active");
        assertThat(r.str("plan")).isEqualTo(hosting);
        String accountId = r.str("account");
        assertThat(accountId).startsWith("acct_");
        Res account = api.get("/v1/accounts/" + accountId);
        assertThat(account.status()).isEqualTo(200);
        assertThat(account.str("name")).isEqualTo("Agency One");
        assertThat(account.str("email")).isEqualTo("billing@agency-one.example");
        assertThat(account.str("timezone")).isEqualTo("Europe/Berlin");
        assertThat(account.json().at("/metadata/crm").asText()).isEqualTo("42");
        assertThat(account.json().at("/company/legal_name").asText()).isEqualTo("Agency One GmbH");
        // The first month billed at once: one open invoice of $25.00, numbered 1, due in 30 days.
        Res invoices = api.get("/v1/accounts/" + accountId + "/invoices");
        assertThat(invoices.json().at("/data").size()).isEqualTo(1);
        assertThat(invoices.json().at("/data/0/total").asLong()).isEqualTo(2500);
        assertThat(invoices.json().at("/data/0/status").asText()).isEqualTo("open");
        assertThat(invoices.json().at("/data/0/number").asText()).endsWith("000001");
        // The account is opened first: its event comes before the invoice's and the subscription's.
        List<String> types = server.app.db.dsl().fetch("select type from events where tenant_id = ? and account_id = ? order by seq",
                api.tenant.id(), accountId).getValues(0, String.class);
        assertThat(types).startsWith("account.created").contains("invoice.issued", "subscription.created");
        assertThat(types.indexOf("invoice.issued")).isLessThan(types.indexOf("subscription.created"));
        assertThat(count("select count(*) from notifications where tenant_id = ? and account_id = ?", api.tenant.id(), accountId)).isEqualTo(1);

        List<Long> before = rows();
        Res again = api.post("/v1/subscriptions", signup(newAccount("Agency One", ",\"timezone\":\"Europe/Berlin\",\"metadata\":{\"crm\":\"42\"},"
                + "\"company\":{\"legal_name\":\"Agency One GmbH\"}"), hosting), Map.of("Idempotency-Key", "signup-1"));
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.json()).isEqualTo(r.json());
        assertThat(rows()).as("a replay writes nothing").isEqualTo(before);
    }

    @Test
    void anExistingAccountIsSubscribedByIdAsTheNestedRouteDoes() {
        String existing = api.newAccount("Existing", "usd", "UTC");

        Res r = api.post("/v1/subscriptions", signup("\"" + existing + "\"", hosting));

        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.str("account")).isEqualTo(existing);
        assertThat(count("select count(*) from accounts where tenant_id = ?", api.tenant.id())).isEqualTo(1);
        assertThat(count("select count(*) from invoices where tenant_id = ? and account_id = ?", api.tenant.id(), existing)).isEqualTo(1);
        Res missing = api.post("/v1/subscriptions", signup("\"acct_missing\"", hosting));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.code()).isEqualTo("resource_missing");
        assertThat(missing.str("field")).as("the body's field that names it").isEqualTo("account");
        // Another tenant's account is as good as missing, and nothing is written for either tenant.
        ApiClient other = server.newTenant();
        String otherPlan = Fixtures.flatPlan(other, "usd");
        List<Long> before = rows();
        Res foreign = other.post("/v1/subscriptions", signup("\"" + existing + "\"", otherPlan));
        assertThat(foreign.status()).as(foreign.text()).isEqualTo(404);
        assertThat(foreign.code()).isEqualTo("resource_missing");
        assertThat(rows()).isEqualTo(before);
        assertThat(count("select count(*) from subscriptions where tenant_id = ?", other.tenant.id())).isZero();
    }

    @Test
    void aRefusedSignupWritesNoAccount() {
        Fixtures.licensePlan(api, "usd", 900);
        String eurosPlan = api.post("/v1/plans", "{\"name\":\"Euro hosting\",\"type\":\"flat\",\"currency\":\"eur\",\"amount\":2500}").str("id");
        List<Long> before = rows();
        record Refusal(String body, int status, String code, String field) {}
        List<Refusal> refusals = List.of(
                new Refusal(signup(newAccount("No Plan", ""), "plan_missing"), 404, "resource_missing", "plan"),
                new Refusal(signup(newAccount("Euros", ""), eurosPlan), 422, "currency_mismatch", null),
                // A new account has no card: charged automatically, it is refused before anything is written.
                new Refusal("{\"account\":" + newAccount("No Card", "") + ",\"plan\":\"" + hosting + "\"}", 402, "payment_method_required", null),
                new Refusal(signup("{\"name\":\"No Email\",\"currency\":\"usd\"}", hosting), 422, "parameter_missing", "account.email"),
                new Refusal(signup(newAccount("Bad Zone", ",\"timezone\":\"Mars/Olympus\""), hosting), 422, "timezone_invalid", "account.timezone"),
                new Refusal(signup("{\"name\":\"  \",\"email\":\"blank@example.com\",\"currency\":\"usd\"}", hosting), 422, "parameter_invalid", "account.name"),
                new Refusal(signup(newAccount("Odd Field", ",\"plan\":\"x\""), hosting), 422, "unknown_field", "account.plan"),
                new Refusal(signup("42", hosting), 422, null, "account"),
                new Refusal("{\"plan\":\"" + hosting + "\"}", 422, "parameter_missing", "account"),
                new Refusal("{\"account\":" + newAccount("No Plan Field", "") + "}", 422, "parameter_missing", "plan"));

        for (Refusal refusal : refusals) {
            Res r = api.post("/v1/subscriptions", refusal.body(), Map.of("Idempotency-Key", "refused-" + refusal.hashCode()));
            assertThat(r.status()).as(refusal.body() + " → " + r.text()).isEqualTo(refusal.status());
            if (refusal.code() != null) assertThat(r.code()).as(r.text()).isEqualTo(refusal.code());
            if (refusal.field() != null) assertThat(r.str("field")).as(r.text()).isEqualTo(refusal.field());
            if (refusal.field() != null && refusal.field().contains(".")) assertThat(r.str("detail")).as("the detail names the field as the field does")
                    .doesNotContain("'" + refusal.field().substring(refusal.field().indexOf('.') + 1) + "'");
        }

        assertThat(rows()).as("accounts, subscriptions, invoices, events, notifications").isEqualTo(before);
    }

    @Test
    void signupsSentAtOnceEachGetTheirOwnAccountAndAGaplessInvoiceNumber() throws Exception {
        List<String> bodies = new ArrayList<>();
        int n = 4 * THREADS;
        for (int i = 0; i < n; i++)
            bodies.add(i % 8 == 7 ? signup(newAccount("Refused " + i, ""), "plan_missing")
                    : signup(newAccount("Agency " + i, ",\"metadata\":{\"n\":\"" + i + "\"}"), hosting));
        long[] before = AtOnce.batches(server);

        List<Res> answers = sentWhileTheNumbersAreHeld(bodies);

        long[] after = AtOnce.batches(server);
        Set<String> accounts = new HashSet<>();
        int ok = 0;
        for (int i = 0; i < n; i++) {
            Res r = answers.get(i);
            if (i % 8 == 7) {
                assertThat(r.status()).as(r.text()).isEqualTo(404);
                continue;
            }
            ok++;
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            assertThat(accounts.add(r.str("account"))).as("an account answered twice").isTrue();
            assertThat(api.get("/v1/accounts/" + r.str("account")).json().at("/metadata/n").asText()).isEqualTo(Integer.toString(i));
        }
        String tenant = api.tenant.id();
        assertThat(count("select count(*) from accounts where tenant_id = ?", tenant)).isEqualTo(ok);
        assertThat(count("select count(*) from subscriptions where tenant_id = ?", tenant)).isEqualTo(ok);
        assertThat(count("select count(*) from events where tenant_id = ? and type = 'account.created'", tenant)).isEqualTo(ok);
        assertThat(count("select count(*) from invoices where tenant_id = ? and total = 2500", tenant)).isEqualTo(ok);
        List<Long> numbers = server.app.db.dsl().fetch("select number from invoices where tenant_id = ?", tenant)
                .getValues(0, String.class).stream().map(s -> Long.parseLong(s.replaceAll("\\D", ""))).sorted().toList();
        for (int i = 0; i < numbers.size(); i++) assertThat(numbers.get(i)).as("invoice numbers %s", numbers).isEqualTo(i + 1L);
        assertThat(after[1] - before[1]).as("requests run together").isEqualTo(n);
        assertThat(after[0] - before[0]).as("batches for %d requests", n).isLessThan(n);
    }

    /**
     * The one-request signup bills as the two requests do: for each kind of signup, an account made each way (the same
     * details, the same instant) ends with the same subscription, invoices, lines, events, timeline rows and e-mails,
     * ids and numbers aside. The one-request path bills its new account without locking, reading or probing it
     * (decision 073); this is what shows that nothing it skips could have been there.
     */
    @Test
    void oneRequestBillsExactlyAsAnAccountAndThenItsSubscription() {
        api = tollgate.testing.Scenario.tenantAt(server, java.time.Instant.parse("2030-01-04T09:00:00Z"));
        String flat = plan("{\"name\":\"Hosting\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":2500}");
        String coupon = api.post("/v1/coupons", "{\"percent_off\":20,\"duration\":\"forever\"}").str("id");
        String seats = plan("{\"name\":\"Agency\",\"type\":\"seats\",\"currency\":\"usd\",\"amount\":4900,\"included_seats\":5,\"seat_amount\":800}");
        String yearly = plan("{\"name\":\"Hosting L\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":120000,\"interval\":\"year\"}");
        String trial = plan("{\"name\":\"Trial hosting\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":2500,\"trial_days\":14}");
        String usage = plan("{\"name\":\"Bandwidth\",\"type\":\"usage\",\"currency\":\"usd\",\"unit_amount\":2}");
        String euros = plan("{\"name\":\"Hosting EU\",\"type\":\"flat\",\"currency\":\"eur\",\"amount\":2300}");
        String invoiced = ",\"collection_method\":\"send_invoice\",\"days_until_due\":30";
        record Kind(String name, String plan, String terms, String account) {}
        String usd = ",\"currency\":\"usd\"";
        List<Kind> kinds = List.of(
                new Kind("flat", flat, invoiced, usd),
                new Kind("coupon", flat, invoiced + ",\"coupon\":\"" + coupon + "\"", usd),
                new Kind("anchored", flat, invoiced + ",\"billing_cycle_anchor\":\"2030-02-01T00:00:00Z\"", usd),
                new Kind("seats", seats, invoiced + ",\"seats\":7", usd),
                new Kind("yearly", yearly, invoiced, usd),
                new Kind("trial", trial, invoiced, usd),
                new Kind("usage", usage, invoiced, usd),
                new Kind("zone", euros, invoiced + ",\"metadata\":{\"crm\":\"7\"}", ",\"currency\":\"eur\",\"timezone\":\"Europe/Berlin\""),
                // An address with no parts reads back as none: the invoice names the buyer the same either way.
                new Kind("company", flat, invoiced, usd + ",\"company\":{\"legal_name\":\"Company Ltd\",\"address\":{},"
                        + "\"billing_email\":\"ap@company.example\"}"));
        for (Kind k : kinds) {
            String details = "{\"name\":\"Agency " + k.name() + "\",\"email\":\"billing@" + k.name() + ".example\"" + k.account() + "}";
            Res account = api.post("/v1/accounts", details);
            assertThat(account.status()).as(account.text()).isEqualTo(200);
            Res apart = api.post("/v1/accounts/" + account.str("id") + "/subscriptions", "{\"plan\":\"" + k.plan() + "\"" + k.terms() + "}");
            Res together = api.post("/v1/subscriptions", "{\"account\":" + details + ",\"plan\":\"" + k.plan() + "\"" + k.terms() + "}");
            assertThat(apart.status()).as(k.name() + " " + apart.text()).isEqualTo(200);
            assertThat(together.status()).as(k.name() + " " + together.text()).isEqualTo(200);

            assertThat(shape(together.text())).as(k.name() + ": the subscription").isEqualTo(shape(apart.text()));
            String made = made(together.str("account"));
            assertThat(made).as(k.name() + ": what was made").isEqualTo(made(account.str("id")));
            // Not alike by being empty: what each kind bills at signup.
            switch (k.name()) {
                case "flat" -> assertThat(made).contains("\"total\":2500", "invoice_issued");
                case "coupon" -> assertThat(made).contains("\"total\":2000");
                case "anchored" -> assertThat(made).contains("\"period_end\":\"2030-02-01T00:00:00Z\"");
                case "seats" -> assertThat(made).contains("\"total\":6500");
                case "yearly" -> assertThat(made).contains("\"total\":120000");
                case "trial", "usage" -> assertThat(made).contains("\"data\":[]").doesNotContain("invoice_issued");
                case "zone" -> assertThat(made).contains("\"total\":2300", "\"currency\":\"eur\"", "Europe/Berlin");
                case "company" -> assertThat(made).contains("Company Ltd", "invoice_issued to ap@company.example", "\"address\":null");
                default -> throw new AssertionError(k.name());
            }
        }
    }

    private String plan(String body) {
        Res r = api.post("/v1/plans", body);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.str("id");
    }

    /** JSON with every object id (and invoice number) replaced: what two accounts made alike have in common. */
    private static String shape(String json) {
        return json.replaceAll("\\b(acct|sub|inv|il|evt|ntf|pm|pay|cn)_[0-9a-z]{10,}", "<$1>").replaceAll("\"[A-Z0-9]+-[0-9]{6,}\"", "\"<number>\"");
    }

    /** The account's account, invoices (with lines), events in order, timeline rows and queued e-mails, by {@link #shape}. */
    private String made(String accountId) {
        String t = api.tenant.id();
        var db = server.app.db.dsl();
        return String.join("\n",
                shape(api.get("/v1/accounts/" + accountId).text()).replaceAll("\"created_at\":\"[^\"]+\"", ""),
                shape(api.get("/v1/accounts/" + accountId + "/invoices").text()),
                db.fetch("select type from events where tenant_id = ? and account_id = ? order by seq", t, accountId).getValues(0, String.class).toString(),
                db.fetch("select kind, due_at from timeline where tenant_id = ? and ref like ? order by kind, due_at", t, "%" + accountId + "%")
                        .map(r -> r.get(0) + "@" + r.get(1, java.time.Instant.class)).toString(),
                db.fetch("select template, recipient from notifications where tenant_id = ? and account_id = ? order by template", t, accountId)
                        .map(r -> r.get(0) + " to " + r.get(1)).toString(),
                // The parties as the invoice stores them (the PDF's seller and buyer), which the API does not show.
                db.fetch("select parties from invoices where tenant_id = ? and account_id = ? order by billing_date, billing_seq", t, accountId)
                        .getValues(0, String.class).toString());
    }

    /**
     * Sends the bodies from {@link #THREADS} threads at once while another transaction holds the tenant's invoice
     * numbers for a moment: the first batch waits at its number, so that the others queue and surely form batches.
     */
    private List<Res> sentWhileTheNumbersAreHeld(List<String> bodies) throws Exception {
        server.app.db.dsl().execute("insert into document_numbers (tenant_id, series, last_number) values (?, 'invoice', 0)", api.tenant.id());
        try (Connection holder = server.app.db.dataSource().getConnection()) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement("select * from document_numbers where tenant_id = ? for update")) {
                lock.setString(1, api.tenant.id());
                lock.executeQuery().close();
            }
            ExecutorService sender = Executors.newSingleThreadExecutor();
            Future<List<Res>> sent = sender.submit(() -> AtOnce.send(THREADS, bodies, b -> api.post("/v1/subscriptions", b)));
            Thread.sleep(1_500);
            holder.commit();
            List<Res> answers = sent.get(120, TimeUnit.SECONDS);
            sender.shutdown();
            return answers;
        }
    }
}
