package tollgate.invoicing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/** SPEC §4: numbers are per tenant, sequential and gapless (INV-000001), also under rollbacks and concurrency. */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class InvoiceNumberingTest {
    @Parameter
    TestDatabase database;
    TestServer server;
    ApiClient api;
    String account;

    @BeforeEach
    void tenant() {
        server = TestServer.on(database);
        api = server.newTenant();
        account = api.newAccount("Agency", "usd", "UTC");
    }

    private static Instant month(int m) {
        return Instant.parse(String.format("2026-%02d-01T00:00:00Z", m));
    }

    @Test
    void numbersRunFromInv000001InIssueOrder() {
        for (int m = 1; m <= 3; m++) {
            assertThat(Drafts.issued(server, api, Drafts.at(account, "usd", month(m), 100 * m)).number())
                    .isEqualTo("INV-00000" + m);
        }
    }

    @Test
    void anIssueThatRollsBackAfterTakingANumberLeavesNoGap() {
        String[] taken = new String[1];
        assertThatThrownBy(() -> server.app.db.tx(tx -> {
            Invoice invoice = Drafts.issue(tx, server.app.invoices, api.tenant, Drafts.at(account, "usd", month(1), 100), month(1)).orElseThrow();
            taken[0] = invoice.number();
            throw new IllegalStateException("the billing run failed after invoicing");
        })).hasMessageContaining("billing run failed");
        assertThat(taken[0]).isEqualTo("INV-000001");
        assertThat(api.get("/v1/accounts/" + account + "/invoices").json().get("data")).isEmpty();

        assertThat(Drafts.issued(server, api, Drafts.at(account, "usd", month(1), 100)).number()).isEqualTo("INV-000001");
        assertThat(Drafts.issued(server, api, Drafts.at(account, "usd", month(2), 100)).number()).isEqualTo("INV-000002");
    }

    @Test
    void twentyConcurrentIssuesGetExactlyInv000001ToInv000020() throws Exception {
        // Ten accounts, two billing dates each: different accounts race, and so do two dates of one account.
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < 10; i++) accounts.add(api.newAccount("Shop " + i, "usd", "UTC"));
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<String>> numbers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                NewInvoice draft = Drafts.at(accounts.get(i % 10), "usd", month(1 + i / 10), 100 + i);
                numbers.add(pool.submit(() -> {
                    start.await();
                    return Drafts.issued(server, api, draft).number();
                }));
            }
            start.countDown();
            List<String> got = new ArrayList<>();
            for (Future<String> f : numbers) got.add(f.get());
            assertThat(got).containsExactlyInAnyOrderElementsOf(
                    IntStream.rangeClosed(1, 20).mapToObj(n -> String.format("INV-%06d", n)).toList());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void tenantsNumberTheirInvoicesIndependently() {
        ApiClient other = server.newTenant();
        String theirs = other.newAccount("Elsewhere", "usd", "UTC");
        assertThat(Drafts.issued(server, api, Drafts.at(account, "usd", month(1), 100)).number()).isEqualTo("INV-000001");
        assertThat(Drafts.issued(server, other, Drafts.at(theirs, "usd", month(1), 100)).number()).isEqualTo("INV-000001");
        assertThat(Drafts.issued(server, api, Drafts.at(account, "usd", month(2), 100)).number()).isEqualTo("INV-000002");
        assertThat(Drafts.issued(server, other, Drafts.at(theirs, "usd", month(2), 100)).number()).isEqualTo("INV-000002");
    }

    @Test
    void creditNotesHaveTheirOwnGaplessSeriesAndARefusedOneTakesNoNumber() {
        Invoice a = Drafts.issued(server, api, Drafts.at(account, "usd", month(1), 1000));
        Invoice b = Drafts.issued(server, api, Drafts.at(account, "usd", month(2), 1000));
        String line = a.lines().getFirst().id();
        assertThat(api.post("/v1/invoices/" + a.id() + "/credit_notes", "{\"lines\":[{\"line\":\"" + line + "\",\"amount\":100}]}")
                .str("number")).isEqualTo("CN-000001");
        assertThat(api.post("/v1/invoices/" + a.id() + "/credit_notes", "{\"lines\":[{\"line\":\"" + line + "\",\"amount\":5000}]}")
                .status()).isEqualTo(422);
        assertThat(api.post("/v1/invoices/" + b.id() + "/credit_notes", "{}").str("number")).isEqualTo("CN-000002");
        // Invoice numbers are a series of their own.
        assertThat(Drafts.issued(server, api, Drafts.at(account, "usd", month(3), 1000)).number()).isEqualTo("INV-000003");
    }
}
