package tollgate.invoicing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/** SPEC §4: an open invoice is immutable; corrections are credit notes. */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class InvoiceImmutabilityTest {
    private static final String ONE_LINE = "{\"lines\":[{\"description\":\"Setup fee\",\"amount\":5000}]}";

    @Parameter
    TestDatabase database;
    TestServer server;
    ApiClient api;
    String account;
    Invoice open;

    @BeforeEach
    void tenant() {
        server = TestServer.on(database);
        api = server.newTenant();
        account = api.newAccount("Agency", "usd", "UTC");
        open = Drafts.issued(server, api, Drafts.march(account, "usd"));
    }

    @Test
    void addingLinesToAnOpenInvoiceIs409AndChangesNothing() {
        JsonNode before = api.get("/v1/invoices/" + open.id()).json();
        Res r = api.post("/v1/invoices/" + open.id() + "/lines", ONE_LINE);
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.code()).isEqualTo("invoice_immutable");
        assertThat(api.get("/v1/invoices/" + open.id()).json()).isEqualTo(before);
    }

    @Test
    void paidAndVoidInvoicesAreImmutableToo() {
        assertThat(api.post("/v1/invoices/" + open.id() + "/credit_notes", "{}").status()).isEqualTo(200);
        assertThat(api.post("/v1/invoices/" + open.id() + "/lines", ONE_LINE).code()).isEqualTo("invoice_immutable");

        Invoice other = Drafts.issued(server, api, Drafts.at(account, "usd", Instant.parse("2026-05-01T00:00:00Z"), 700));
        assertThat(api.post("/v1/invoices/" + other.id() + "/void", null).str("status")).isEqualTo("void");
        assertThat(api.post("/v1/invoices/" + other.id() + "/lines", ONE_LINE).code()).isEqualTo("invoice_immutable");
    }

    @Test
    void theStoreRefusesToWriteAnOpenInvoicesLinesOrAmounts() {
        InvoiceStore store = new InvoiceStore();
        Invoice.Line extra = Invoice.Line.of("il_extra", Drafts.usage());
        assertThatThrownBy(() -> server.app.db.tx(tx -> {
            store.insertLines(tx, api.tenant.id(), open.id(), List.of(extra));
            return null;
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("only a draft");
        Invoice changed = new Invoice(open.id(), account, open.number(), InvoiceStatus.DRAFT, "usd", open.billingDate(),
                open.issuedAt(), open.periodStart(), open.periodEnd(), 1, 0, 0, 1, 0, 0, 0, 1, 0, null, List.of(), List.of(), null, null);
        assertThatThrownBy(() -> server.app.db.tx(tx -> {
            store.updateDraftAmounts(tx, api.tenant.id(), changed);
            return null;
        })).isInstanceOf(IllegalStateException.class);
        assertThat(api.get("/v1/invoices/" + open.id()).json().get("total").asLong()).isEqualTo(1091);
    }

    @Test
    void theDatabaseRefusesAmountsThatDoNotAddUp() {
        assertThatThrownBy(() -> server.app.db.tx(tx -> tx.execute(
                "update invoices set amount_due = amount_due - 1 where id = ?", open.id()))).isInstanceOf(DataAccessException.class);
        assertThatThrownBy(() -> server.app.db.tx(tx -> tx.execute(
                "update invoices set total = total + 100, amount_due = amount_due + 100 where id = ?", open.id())))
                .isInstanceOf(DataAccessException.class);
    }

    @Test
    void aDraftTakesMoreLinesAndItsTotalsFollow() {
        // Drafts live only inside the issuing transaction today; write one directly to show the rule's other side.
        Invoice draft = InvoiceDraftRules.draft(Drafts.at(account, "usd", Instant.parse("2026-06-01T00:00:00Z"), 2500), "usd");
        server.app.db.tx(tx -> {
            new InvoiceStore().insertDraft(tx, api.tenant.id(), draft, draft.billingDate());
            return null;
        });
        Res r = api.post("/v1/invoices/" + draft.id() + "/lines",
                "{\"lines\":[{\"description\":\"Setup fee\",\"amount\":5000},{\"description\":\"Domains\",\"amount\":1200,\"quantity\":2}]}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.str("status")).isEqualTo("draft");
        assertThat(r.json().get("lines")).hasSize(3);
        assertThat(r.json().at("/lines/1/kind").asText()).isEqualTo("adjustment");
        assertThat(r.json().at("/lines/2/quantity").asLong()).isEqualTo(2);
        assertThat(r.json().get("subtotal").asLong()).isEqualTo(8700);
        assertThat(r.json().get("amount_due").asLong()).isEqualTo(8700);
        assertThat(api.get("/v1/invoices/" + draft.id()).json()).isEqualTo(r.json());
    }

    @Test
    void linesMustSayWhatTheyAreForWithANonNegativeAmount() {
        for (String body : List.of("{}", "{\"lines\":[]}", "{\"lines\":[{\"amount\":5}]}", "{\"lines\":[{\"description\":\"x\"}]}",
                "{\"lines\":[{\"description\":\"x\",\"amount\":-5}]}", "{\"lines\":[{\"description\":\" \",\"amount\":5}]}")) {
            Res r = api.post("/v1/invoices/" + open.id() + "/lines", body);
            assertThat(r.status()).as(body).isEqualTo(422);
        }
        assertThat(api.post("/v1/invoices/inv_nothing/lines", ONE_LINE).status()).isEqualTo(404);
    }
}
