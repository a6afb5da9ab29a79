package tollgate.invoicing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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

/**
 * SPEC §4: corrections are credit notes. The invoice of these tests has lines of 900, 435 and 29 (1,364) and a
 * discount of 273, so 1,091 is due.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class CreditNotesTest {
    @Parameter
    TestDatabase database;
    TestServer server;
    ApiClient api;
    String account;
    Invoice invoice;
    String full;
    String half;
    String usage;

    @BeforeEach
    void invoice() {
        server = TestServer.on(database);
        api = server.newTenant();
        account = api.newAccount("Agency", "usd", "UTC");
        invoice = Drafts.issued(server, api, Drafts.march(account, "usd"));
        full = invoice.lines().get(0).id();
        half = invoice.lines().get(1).id();
        usage = invoice.lines().get(2).id();
    }

    private Res credit(String body) {
        return api.post("/v1/invoices/" + invoice.id() + "/credit_notes", body);
    }

    private JsonNode invoiceNow() {
        return api.get("/v1/invoices/" + invoice.id()).json();
    }

    private int events(String type) {
        return api.get("/v1/events?limit=100&type=" + type + "&account=" + account).json().get("data").size();
    }

    @Test
    void withoutLinesACreditNoteCreditsEverythingDueAndTheInvoiceIsPaid() {
        Res r = credit("{\"reason\":\"Duplicate charge\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.str("id")).startsWith("cn_");
        assertThat(r.str("object")).isEqualTo("credit_note");
        assertThat(r.str("invoice")).isEqualTo(invoice.id());
        assertThat(r.str("account")).isEqualTo(account);
        assertThat(r.str("number")).isEqualTo("CN-000001");
        assertThat(r.str("currency")).isEqualTo("usd");
        assertThat(r.json().get("amount").asLong()).isEqualTo(1091);
        assertThat(r.json().get("lines")).isEmpty();
        assertThat(r.str("reason")).isEqualTo("Duplicate charge");
        assertThat(r.str("created_at")).isNotNull();

        JsonNode after = invoiceNow();
        assertThat(after.get("amount_credited").asLong()).isEqualTo(1091);
        assertThat(after.get("amount_due").asLong()).isZero();
        assertThat(after.get("status").asText()).isEqualTo("paid");
        // What was invoiced stays as it was.
        assertThat(after.get("total").asLong()).isEqualTo(1091);
        assertThat(after.get("lines")).hasSize(3);
        assertThat(events("credit_note.created")).isEqualTo(1);
        assertThat(events("invoice.paid")).isEqualTo(1);
    }

    @Test
    void aLineEntryCreditsThatLinesFullAmount() {
        Res r = credit("{\"lines\":[{\"line\":\"" + half + "\"}]}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().get("amount").asLong()).isEqualTo(435);
        assertThat(r.json().at("/lines/0/line").asText()).isEqualTo(half);
        assertThat(r.json().at("/lines/0/description").asText()).isEqualTo("Jetpack Security, from 17 March");
        assertThat(r.json().at("/lines/0/amount").asLong()).isEqualTo(435);
        JsonNode after = invoiceNow();
        assertThat(after.get("amount_credited").asLong()).isEqualTo(435);
        assertThat(after.get("amount_due").asLong()).isEqualTo(656);
        assertThat(after.get("status").asText()).isEqualTo("open");
        assertThat(events("invoice.updated")).isEqualTo(1);
        assertThat(events("invoice.paid")).isZero();
    }

    @Test
    void aLineEntryWithAnAmountCreditsThatMuchAndLaterCreditsOfTheLineStopAtItsAmount() {
        Res first = credit("{\"lines\":[{\"line\":\"" + full + "\",\"amount\":300},{\"line\":\"" + usage + "\",\"amount\":9}]}");
        assertThat(first.status()).as(first.text()).isEqualTo(200);
        assertThat(first.json().get("amount").asLong()).isEqualTo(309);
        assertThat(invoiceNow().get("amount_due").asLong()).isEqualTo(782);

        // 600 is left of the 900 line: asking for 601 is refused, and the line in full now means those 600.
        Res tooMuch = credit("{\"lines\":[{\"line\":\"" + full + "\",\"amount\":601}]}");
        assertThat(tooMuch.status()).isEqualTo(422);
        assertThat(tooMuch.code()).isEqualTo("credit_exceeds_line");
        assertThat(tooMuch.str("field")).isEqualTo("lines[0].amount");
        Res rest = credit("{\"lines\":[{\"line\":\"" + full + "\"}]}");
        assertThat(rest.json().get("amount").asLong()).isEqualTo(600);
        assertThat(rest.str("number")).isEqualTo("CN-000002");
        Res nothingLeft = credit("{\"lines\":[{\"line\":\"" + full + "\"}]}");
        assertThat(nothingLeft.code()).isEqualTo("credit_exceeds_line");
        assertThat(nothingLeft.str("field")).isEqualTo("lines[0].line");
        assertThat(invoiceNow().get("amount_due").asLong()).isEqualTo(182);
    }

    @Test
    void whenCreditsBringWhatIsDueToZeroTheInvoiceIsPaid() {
        // 1,091 due: the 900 line, then 191 of the 435 line.
        assertThat(credit("{\"lines\":[{\"line\":\"" + full + "\"}]}").status()).isEqualTo(200);
        Res last = credit("{\"lines\":[{\"line\":\"" + half + "\",\"amount\":191}]}");
        assertThat(last.status()).as(last.text()).isEqualTo(200);
        JsonNode after = invoiceNow();
        assertThat(after.get("amount_due").asLong()).isZero();
        assertThat(after.get("amount_credited").asLong()).isEqualTo(1091);
        assertThat(after.get("status").asText()).isEqualTo("paid");
        JsonNode paid = api.get("/v1/events?type=invoice.paid&account=" + account).json().at("/data/0/data");
        assertThat(paid).isEqualTo(after);
        // A paid invoice takes no more credits.
        Res more = credit("{\"lines\":[{\"line\":\"" + usage + "\",\"amount\":1}]}");
        assertThat(more.status()).isEqualTo(409);
        assertThat(more.code()).isEqualTo("invoice_not_open");
    }

    @Test
    void linesTogetherMayNotCreditMoreThanIsDue() {
        // 900 + 435 = 1,335, but after the discount only 1,091 is due.
        Res r = credit("{\"lines\":[{\"line\":\"" + full + "\"},{\"line\":\"" + half + "\"}]}");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.code()).isEqualTo("credit_exceeds_invoice");
        assertThat(r.str("field")).isEqualTo("lines");
        assertNothingWritten();
    }

    @Test
    void aLineOfAnotherInvoiceIsRefused() {
        Invoice other = Drafts.issued(server, api, Drafts.at(account, "usd", Instant.parse("2026-05-01T00:00:00Z"), 700));
        Res r = credit("{\"lines\":[{\"line\":\"" + other.lines().getFirst().id() + "\"}]}");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.code()).isEqualTo("line_not_on_invoice");
        assertThat(r.str("field")).isEqualTo("lines[0].line");
        assertNothingWritten();
    }

    @Test
    void amountsOfZeroOrLessAreRefused() {
        for (String amount : new String[] {"0", "-5"}) {
            Res r = credit("{\"lines\":[{\"line\":\"" + usage + "\",\"amount\":" + amount + "}]}");
            assertThat(r.status()).as(amount).isEqualTo(422);
            assertThat(r.code()).isEqualTo("parameter_invalid");
            assertThat(r.str("field")).isEqualTo("lines[0].amount");
        }
        Res overLine = credit("{\"lines\":[{\"line\":\"" + usage + "\",\"amount\":30}]}");
        assertThat(overLine.code()).isEqualTo("credit_exceeds_line");
        assertNothingWritten();
    }

    @Test
    void malformedRequestsAreRefusedWithTheirField() {
        Res empty = credit("{\"lines\":[]}");
        assertThat(empty.code()).isEqualTo("parameter_invalid");
        assertThat(empty.str("field")).isEqualTo("lines");
        Res twice = credit("{\"lines\":[{\"line\":\"" + usage + "\",\"amount\":1},{\"line\":\"" + usage + "\",\"amount\":1}]}");
        assertThat(twice.code()).isEqualTo("parameter_invalid");
        assertThat(twice.str("field")).isEqualTo("lines[1].line");
        Res noLine = credit("{\"lines\":[{\"amount\":1}]}");
        assertThat(noLine.code()).isEqualTo("parameter_missing");
        assertThat(noLine.str("field")).isEqualTo("lines[0].line");
        Res unknown = credit("{\"amount_off\":5}");
        assertThat(unknown.code()).isEqualTo("unknown_field");
        Res fractional = credit("{\"lines\":[{\"line\":\"" + usage + "\",\"amount\":1.5}]}");
        assertThat(fractional.code()).isEqualTo("invalid_type");
        Res longReason = credit("{\"reason\":\"" + "x".repeat(501) + "\"}");
        assertThat(longReason.code()).isEqualTo("parameter_invalid");
        assertThat(longReason.str("field")).isEqualTo("reason");
        assertNothingWritten();
    }

    @Test
    void aDraftOrVoidInvoiceCannotBeCredited() {
        Invoice draft = InvoiceDraftRules.draft(Drafts.at(account, "usd", Instant.parse("2026-06-01T00:00:00Z"), 2500), "usd");
        server.app.db.tx(tx -> {
            new InvoiceStore().insertDraft(tx, api.tenant.id(), draft, draft.billingDate());
            return null;
        });
        Res onDraft = api.post("/v1/invoices/" + draft.id() + "/credit_notes", "{}");
        assertThat(onDraft.status()).isEqualTo(409);
        assertThat(onDraft.code()).isEqualTo("invoice_not_open");

        Res voided = api.post("/v1/invoices/" + invoice.id() + "/void", null);
        assertThat(voided.status()).as(voided.text()).isEqualTo(200);
        assertThat(voided.str("status")).isEqualTo("void");
        assertThat(events("invoice.voided")).isEqualTo(1);
        Res onVoid = credit("{}");
        assertThat(onVoid.status()).isEqualTo(409);
        assertThat(onVoid.code()).isEqualTo("invoice_not_open");
        assertThat(api.post("/v1/invoices/" + invoice.id() + "/void", null).code()).isEqualTo("invoice_not_open");
        assertThat(api.get("/v1/invoices/" + invoice.id() + "/credit_notes").json().get("data")).isEmpty();
    }

    @Test
    void creditNotesAreListedNewestFirstAndFetchedById() {
        String a = credit("{\"lines\":[{\"line\":\"" + usage + "\",\"amount\":10}]}").str("id");
        String b = credit("{\"lines\":[{\"line\":\"" + usage + "\",\"amount\":5}]}").str("id");
        JsonNode list = api.get("/v1/invoices/" + invoice.id() + "/credit_notes").json();
        assertThat(list.get("object").asText()).isEqualTo("list");
        assertThat(list.get("data")).hasSize(2);
        assertThat(list.at("/data/0/id").asText()).isEqualTo(b);
        assertThat(list.at("/data/1/id").asText()).isEqualTo(a);
        JsonNode page = api.get("/v1/invoices/" + invoice.id() + "/credit_notes?limit=1").json();
        assertThat(page.get("has_more").asBoolean()).isTrue();
        Res one = api.get("/v1/credit_notes/" + a);
        assertThat(one.json().get("amount").asLong()).isEqualTo(10);
        assertThat(one.json().at("/lines/0/line").asText()).isEqualTo(usage);
        JsonNode event = api.get("/v1/events?type=credit_note.created&account=" + account).json().at("/data/1/data");
        assertThat(event).isEqualTo(one.json());
    }

    @Test
    void anotherTenantCannotCreditOrSeeTheseCreditNotes() {
        String note = credit("{\"lines\":[{\"line\":\"" + usage + "\",\"amount\":10}]}").str("id");
        ApiClient other = server.newTenant();
        assertThat(other.post("/v1/invoices/" + invoice.id() + "/credit_notes", "{}").status()).isEqualTo(404);
        assertThat(other.get("/v1/invoices/" + invoice.id() + "/credit_notes").status()).isEqualTo(404);
        assertThat(other.get("/v1/credit_notes/" + note).status()).isEqualTo(404);
        assertThat(other.post("/v1/invoices/" + invoice.id() + "/void", null).status()).isEqualTo(404);
        assertThat(invoiceNow().get("amount_due").asLong()).isEqualTo(1081);
    }

    @Test
    void concurrentCreditsTakeTurnsAndNeverCreditMoreThanIsDue() throws Exception {
        // Ten requests of 184 each (100 + 80 + 4) race for 1,091 due. Taking turns, five fit: a sixth would exceed
        // both what is due (6 × 184 = 1,104) and the 435 line (6 × 80 = 480). Without the invoice's lock more would pass.
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(10);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.List<java.util.concurrent.Future<Res>> answers = new java.util.ArrayList<>();
        String line = "{\"lines\":[{\"line\":\"" + full + "\",\"amount\":100},{\"line\":\"" + half + "\",\"amount\":80},"
                + "{\"line\":\"" + usage + "\",\"amount\":4}]}";
        for (int i = 0; i < 10; i++) {
            answers.add(pool.submit(() -> {
                go.await();
                return credit(line);
            }));
        }
        go.countDown();
        int ok = 0;
        for (java.util.concurrent.Future<Res> f : answers) {
            Res r = f.get();
            if (r.status() == 200) ok++;
            else assertThat(r.code()).as(r.text()).isIn("credit_exceeds_line", "credit_exceeds_invoice");
        }
        pool.shutdown();
        assertThat(ok).isEqualTo(5);
        JsonNode after = invoiceNow();
        assertThat(after.get("amount_credited").asLong()).isEqualTo(5 * 184);
        assertThat(after.get("amount_due").asLong()).isEqualTo(1091 - 5 * 184);
        assertThat(api.get("/v1/invoices/" + invoice.id() + "/credit_notes?limit=100").json().get("data")).hasSize(5);
    }

    private void assertNothingWritten() {
        JsonNode now = invoiceNow();
        assertThat(now.get("amount_due").asLong()).isEqualTo(1091);
        assertThat(now.get("amount_credited").asLong()).isZero();
        assertThat(now.get("status").asText()).isEqualTo("open");
        assertThat(api.get("/v1/invoices/" + invoice.id() + "/credit_notes").json().get("data")).isEmpty();
        assertThat(events("credit_note.created")).isZero();
    }
}
