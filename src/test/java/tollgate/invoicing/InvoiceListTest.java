package tollgate.invoicing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/** GET /v1/invoices across the tenant with its filters, and writing an open invoice off as uncollectible. */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class InvoiceListTest {
    @Parameter
    TestDatabase database;
    TestServer server;
    ApiClient api;
    String shop;
    String agency;
    Invoice march;
    Invoice april;
    Invoice may;

    @BeforeEach
    void invoices() {
        server = TestServer.on(database);
        api = server.newTenant();
        shop = api.newAccount("Shop", "usd", "UTC");
        agency = api.newAccount("Agency", "usd", "UTC");
        march = Drafts.issued(server, api, Drafts.at(shop, "usd", Instant.parse("2026-03-01T00:00:00Z"), 1000));
        april = Drafts.issued(server, api, Drafts.at(agency, "usd", Instant.parse("2026-04-01T00:00:00Z"), 2000));
        may = Drafts.issued(server, api, Drafts.at(shop, "usd", Instant.parse("2026-05-01T00:00:00Z"), 3000));
    }

    private List<String> ids(String query) {
        Res r = api.get("/v1/invoices" + query);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        for (JsonNode i : r.json().get("data")) ids.add(i.get("id").asText());
        return ids;
    }

    @Test
    void theTenantsInvoicesNewestFirstNarrowedByEachFilter() {
        assertThat(ids("")).containsExactly(may.id(), april.id(), march.id());
        assertThat(ids("?account=" + shop)).containsExactly(may.id(), march.id());
        assertThat(ids("?billing_date[gte]=2026-04-01T00:00:00Z")).containsExactly(may.id(), april.id());
        assertThat(ids("?billing_date[gte]=2026-03-01T00:00:00Z&billing_date[lt]=2026-05-01T00:00:00Z"))
                .containsExactly(april.id(), march.id());
        assertThat(ids("?number=" + april.number())).containsExactly(april.id());
        assertThat(ids("?status=open")).hasSize(3);
        assertThat(ids("?status=paid")).isEmpty();
        assertThat(ids("?limit=2&starting_after=" + may.id())).containsExactly(april.id(), march.id());
        assertThat(server.newTenant().get("/v1/invoices").json().get("data")).isEmpty();
    }

    @Test
    void badFiltersAreRefusedNamingTheParameter() {
        String[][] cases = {
                {"?status=late", "status"},
                {"?billing_date[gte]=yesterday", "billing_date[gte]"},
                {"?billing_date[gte]=2026-05-01T00:00:00Z&billing_date[lt]=2026-04-01T00:00:00Z", "billing_date[lt]"},
                {"?billing_date[gt]=2026-04-01T00:00:00Z", "billing_date[gt]"},
                {"?limit=0", "limit"},
        };
        for (String[] c : cases) {
            Res r = api.get("/v1/invoices" + c[0]);
            assertThat(r.status()).as(c[0]).isEqualTo(422);
            assertThat(r.json().get("field").asText()).as(c[0]).isEqualTo(c[1]);
        }
        // An unknown cursor is 404 on every list (decision 020): a paging client must not start over.
        Res cursor = api.get("/v1/invoices?starting_after=inv_nothing");
        assertThat(cursor.status()).isEqualTo(404);
        assertThat(cursor.json().get("field").asText()).isEqualTo("starting_after");
        Res account = api.get("/v1/invoices?account=acct_nothing");
        assertThat(account.status()).isEqualTo(404);
        assertThat(account.json().get("field").asText()).isEqualTo("account");
    }

    @Test
    void anOpenInvoiceWrittenOffIsUncollectibleAndThatIsFinal() {
        Res r = api.post("/v1/invoices/" + march.id() + "/mark_uncollectible", null);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.str("status")).isEqualTo("uncollectible");
        assertThat(r.json().get("amount_due").asLong()).isEqualTo(1000);
        assertThat(r.json().get("next_payment_attempt").isNull()).isTrue();
        assertThat(ids("?status=uncollectible")).containsExactly(march.id());
        assertThat(api.get("/v1/events?type=invoice.marked_uncollectible").json().get("data")).hasSize(1);

        Res again = api.post("/v1/invoices/" + march.id() + "/mark_uncollectible", null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("invoice_not_open");
        assertThat(api.post("/v1/invoices/" + march.id() + "/pay", null).code()).isEqualTo("invoice_not_open");
        assertThat(api.post("/v1/invoices/inv_nothing/mark_uncollectible", null).status()).isEqualTo(404);
        assertThat(api.post("/v1/invoices/" + april.id() + "/mark_uncollectible", "{\"reason\":\"x\"}").code()).isEqualTo("unknown_field");
        assertThat(api.get("/v1/invoices/" + april.id()).str("status")).isEqualTo("open");
    }
}
