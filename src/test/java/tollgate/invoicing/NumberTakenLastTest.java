package tollgate.invoicing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.jooq.Record;
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
 * Decision 058: a subscription's first invoice, issued in the API's one transaction, is numbered by that transaction's
 * last statement on PostgreSQL (a stand-in until then). What is committed is as if it had been numbered at issue: the
 * invoice, its {@code invoice.issued} event, its e-mail and that e-mail's event carry the real number, no stand-in is
 * left anywhere, and concurrent subscriptions of one tenant get gapless numbers, each its own.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class NumberTakenLastTest {
    @Parameter
    TestDatabase database;
    TestServer server;
    ApiClient api;
    String plan;

    @BeforeEach
    void tenant() {
        server = TestServer.on(database);
        api = server.newTenant();
        plan = Fixtures.flatPlan(api, "usd");
    }

    private Res subscribe(String account, String key) {
        return api.post("/v1/accounts/" + account + "/subscriptions",
                "{\"plan\":\"" + plan + "\",\"collection_method\":\"send_invoice\",\"days_until_due\":30}",
                Map.of("Idempotency-Key", key));
    }

    @Test
    void theNumberIsEverywhereTheInvoiceWasCopiedAndNoStandInIsLeft() {
        String account = api.newAccount("Numbered", "usd", "UTC");
        Res made = subscribe(account, "numbered-1");
        assertThat(made.status()).as(made.toString()).isEqualTo(200);
        var invoices = api.get("/v1/accounts/" + account + "/invoices").json().get("data");
        assertThat(invoices).hasSize(1);
        assertThat(invoices.get(0).get("number").asText()).isEqualTo("INV-000001");
        String invoice = invoices.get(0).get("id").asText();

        var db = server.app.db.dsl();
        String tenant = api.tenant.id();
        String issued = db.fetchOne("select data from events where tenant_id = ? and type = 'invoice.issued'", tenant).get(0, String.class);
        assertThat(issued).contains("\"number\":\"INV-000001\"").contains(invoice);
        String mail = db.fetchOne("select data from notifications where tenant_id = ? and invoice_id = ?", tenant, invoice).get(0, String.class);
        assertThat(mail).contains("\"invoice_number\":\"INV-000001\"");
        String mailEvent = db.fetchOne("select data from events where tenant_id = ? and type = 'notification.created'", tenant)
                .get(0, String.class);
        assertThat(mailEvent).contains("INV-000001");
        assertThat(standIns(tenant)).isZero();

        // The replay is the kept answer, and the next subscription takes the next number.
        assertThat(subscribe(account, "numbered-1").text()).isEqualTo(made.text());
        String second = api.newAccount("Second", "usd", "UTC");
        assertThat(subscribe(second, "numbered-2").status()).isEqualTo(200);
        assertThat(api.get("/v1/accounts/" + second + "/invoices").json().get("data").get(0).get("number").asText())
                .isEqualTo("INV-000002");
        assertThat(standIns(tenant)).isZero();
    }

    @Test
    void concurrentSubscriptionsOfOneTenantGetGaplessNumbersEachItsOwn() throws Exception {
        int clients = 8;
        int each = 4;
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < clients * each; i++) accounts.add(api.newAccount("Shop " + i, "usd", "UTC"));
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                done.add(pool.submit(() -> {
                    start.await();
                    int ok = 0;
                    for (int i = 0; i < each; i++) {
                        Res r = subscribe(accounts.get(client * each + i), "race-" + client + "-" + i);
                        if (r.status() == 200) ok++;
                        else throw new AssertionError(r.toString());
                    }
                    return ok;
                }));
            }
            start.countDown();
            int ok = 0;
            for (Future<Integer> f : done) ok += f.get();
            assertThat(ok).isEqualTo(clients * each);
        } finally {
            pool.shutdownNow();
        }
        var db = server.app.db.dsl();
        String tenant = api.tenant.id();
        List<String> numbers = db.fetch("select number from invoices where tenant_id = ?", tenant).getValues(0, String.class);
        assertThat(numbers).containsExactlyInAnyOrderElementsOf(
                IntStream.rangeClosed(1, clients * each).mapToObj(n -> String.format("INV-%06d", n)).toList());
        // Each invoice's event and e-mail name that invoice's own number.
        for (Record r : db.fetch("select id, number from invoices where tenant_id = ?", tenant)) {
            String id = r.get("id", String.class);
            String number = r.get("number", String.class);
            assertThat(db.fetchOne("select data from events where tenant_id = ? and type = 'invoice.issued' and data like ?",
                    tenant, "%\"" + id + "\"%").get(0, String.class)).as(id).contains("\"number\":\"" + number + "\"");
            assertThat(db.fetchOne("select data from notifications where tenant_id = ? and invoice_id = ?", tenant, id)
                    .get(0, String.class)).as(id).contains("\"invoice_number\":\"" + number + "\"");
        }
        assertThat(standIns(tenant)).isZero();
    }

    /** Rows of the tenant that still hold a stand-in number ({@code ~…}). */
    private int standIns(String tenant) {
        var db = server.app.db.dsl();
        return db.fetchOne("select (select count(*) from invoices where tenant_id = ? and number like '~%') "
                + "+ (select count(*) from events where tenant_id = ? and data like '%\"~%') "
                + "+ (select count(*) from notifications where tenant_id = ? and data like '%\"~%')", tenant, tenant, tenant)
                .get(0, Integer.class);
    }
}
