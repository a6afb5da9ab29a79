package tollgate.invoicing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/** Reading invoices: one, an account's list newest first, the PDF; another tenant's invoice does not exist. */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class InvoiceReadsTest {
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

    @Test
    void anAccountsInvoicesAreListedNewestFirstInPages() {
        String[] ids = new String[3];
        for (int m = 1; m <= 3; m++) {
            ids[m - 1] = Drafts.issued(server, api, Drafts.at(account, "usd", Instant.parse("2026-0" + m + "-01T00:00:00Z"), 100)).id();
            // Lists page newest first by id, and ids begin with their creation millisecond (two made in one millisecond
            // sort at random): each invoice is made in a millisecond of its own.
            sleepPastTheMillisecond();
        }
        String otherAccount = api.newAccount("Other", "usd", "UTC");
        Drafts.issued(server, api, Drafts.at(otherAccount, "usd", Instant.parse("2026-01-01T00:00:00Z"), 100));

        JsonNode all = api.get("/v1/accounts/" + account + "/invoices").json();
        assertThat(all.get("object").asText()).isEqualTo("list");
        assertThat(all.get("has_more").asBoolean()).isFalse();
        assertThat(all.get("data")).extracting(n -> n.get("id").asText()).containsExactly(ids[2], ids[1], ids[0]);
        assertThat(all.at("/data/0/number").asText()).isEqualTo("INV-000003");
        assertThat(all.at("/data/0/lines")).hasSize(1);

        JsonNode first = api.get("/v1/accounts/" + account + "/invoices?limit=2").json();
        assertThat(first.get("has_more").asBoolean()).isTrue();
        JsonNode second = api.get("/v1/accounts/" + account + "/invoices?limit=2&starting_after=" + ids[1]).json();
        assertThat(second.get("data")).extracting(n -> n.get("id").asText()).containsExactly(ids[0]);
        assertThat(second.get("has_more").asBoolean()).isFalse();
    }

    @Test
    void unknownInvoicesAndAccountsAre404() {
        for (String path : new String[] {"/v1/invoices/inv_nothing", "/v1/invoices/inv_nothing/pdf",
                "/v1/accounts/acct_nothing/invoices", "/v1/credit_notes/cn_nothing", "/v1/invoices/inv_nothing/credit_notes"}) {
            Res r = api.get(path);
            assertThat(r.status()).as(path).isEqualTo(404);
            assertThat(r.code()).as(path).isEqualTo("resource_missing");
        }
    }

    @Test
    void anotherTenantsInvoiceItsPdfAndItsAccountsListAre404() {
        Invoice invoice = Drafts.issued(server, api, Drafts.march(account, "usd"));
        ApiClient other = server.newTenant();
        assertThat(other.get("/v1/invoices/" + invoice.id()).status()).isEqualTo(404);
        Res pdf = other.get("/v1/invoices/" + invoice.id() + "/pdf");
        assertThat(pdf.status()).isEqualTo(404);
        assertThat(pdf.code()).isEqualTo("resource_missing");
        assertThat(other.get("/v1/accounts/" + account + "/invoices").status()).isEqualTo(404);
        assertThat(api.get("/v1/invoices/" + invoice.id()).status()).isEqualTo(200);
    }

    @Test
    void thePdfIsServedAsApplicationPdf() throws Exception {
        Invoice invoice = Drafts.issued(server, api, Drafts.march(account, "usd"));
        HttpResponse<byte[]> r = java.net.http.HttpClient.newHttpClient()
                .send(api.request("/v1/invoices/" + invoice.id() + "/pdf").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("application/pdf");
        assertThat(new String(r.body(), 0, 5, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
        assertThat(api.get("/v1/invoices/" + invoice.id() + "/pdf").status()).isEqualTo(200);
    }

    @Test
    void readingNeedsASecretKey() {
        Invoice invoice = Drafts.issued(server, api, Drafts.march(account, "usd"));
        assertThat(server.anonymous().get("/v1/invoices/" + invoice.id()).status()).isEqualTo(401);
        assertThat(server.anonymous().get("/v1/invoices/" + invoice.id() + "/pdf").status()).isEqualTo(401);
    }

    private static void sleepPastTheMillisecond() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
