package tollgate.invoicing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/** SPEC §4: a PDF of every invoice, read back with PDFBox: both companies, every line, the totals. */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class InvoicePdfTest {
    private static final String SELLER = """
            {"company": {"legal_name": "Hostmost B.V.", "tax_id": "NL123456789B01", "billing_email": "billing@hostmost.test",
             "support_email": "help@hostmost.test",
             "address": {"line1": "Keizersgracht 1", "city": "Amsterdam", "postal_code": "1015 CJ", "country": "NL"}}}""";

    @Parameter
    TestDatabase database;
    TestServer server;
    ApiClient api;

    @BeforeEach
    void tenant() {
        server = TestServer.on(database);
        api = server.newTenant();
        assertThat(api.post("/v1/tenant", SELLER).status()).isEqualTo(200);
    }

    private String account(String json) {
        Res r = api.post("/v1/accounts", json);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.str("id");
    }

    private HttpResponse<byte[]> pdf(String invoiceId) throws Exception {
        HttpResponse<byte[]> r = HttpClient.newHttpClient()
                .send(api.request("/v1/invoices/" + invoiceId + "/pdf").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/pdf");
        return r;
    }

    private String pdfText(String invoiceId) throws Exception {
        return text(pdf(invoiceId).body());
    }

    private byte[] get(String path) throws Exception {
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(api.request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** Each page's text, in order. */
    static List<String> pages(byte[] pdf) throws IOException {
        List<String> pages = new ArrayList<>();
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            PDFTextStripper stripper = new PDFTextStripper();
            stripper.setSortByPosition(true);
            for (int p = 1; p <= doc.getNumberOfPages(); p++) {
                stripper.setStartPage(p);
                stripper.setEndPage(p);
                pages.add(stripper.getText(doc));
            }
        }
        return pages;
    }

    static String text(byte[] pdf) throws IOException {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            PDFTextStripper stripper = new PDFTextStripper();
            stripper.setSortByPosition(true);
            return stripper.getText(doc);
        }
    }

    @Test
    void thePdfShowsTheNumberBothCompaniesEveryLineAndTheTotals() throws Exception {
        String account = account("""
                {"name": "Acme Agency", "email": "ops@acme.test", "currency": "usd", "timezone": "UTC",
                 "company": {"legal_name": "Acme GmbH", "tax_id": "DE123456789", "billing_email": "billing@acme.test",
                             "address": {"line1": "Hauptstr. 1", "city": "Berlin", "postal_code": "10115", "country": "DE"}}}""");
        Invoice invoice = Drafts.issued(server, api, Drafts.march(account, "usd"));
        HttpResponse<byte[]> pdf = pdf(invoice.id());
        String text = text(pdf.body());

        // Saved as its number, still shown in place
        assertThat(pdf.headers().firstValue("Content-Disposition")).hasValue("inline; filename=\"INV-000001.pdf\"");
        assertThat(text).contains("Invoice", "INV-000001", "OPEN", "USD");
        // The seller, from the tenant's company details
        assertThat(text).contains("Hostmost B.V.", "Keizersgracht 1", "1015 CJ Amsterdam", "Netherlands", "Tax ID: NL123456789B01",
                "billing@hostmost.test", "help@hostmost.test");
        // The buyer, from the account's
        assertThat(text).contains("Acme GmbH", "Hauptstr. 1", "10115 Berlin", "Germany", "Tax ID: DE123456789", "billing@acme.test");
        // Every line: what it is for, the site, the period and days, the amount
        assertThat(text).contains("Jetpack Security, March 2026", "https://shop.example", "License key …ZA6VE", "31 days", "9.00");
        assertThat(text).contains("Jetpack Security, from 17 March", "https://blog.example", "15 days", "4.35");
        assertThat(text).contains("Bandwidth (GB)", "29", "0.29");
        assertThat(text).contains("1 – 31 Mar 2026", "17 – 31 Mar 2026");
        // The totals, down to what is due
        assertThat(text).containsPattern("Subtotal\\s+13\\.64");
        assertThat(text).containsPattern("Discount: Launch 20% off\\s+-2\\.73");
        assertThat(text).containsPattern("Tax\\s+0\\.00");
        assertThat(text).containsPattern("Total\\s+10\\.91");
        assertThat(text).containsPattern("Amount paid\\s+0\\.00");
        assertThat(text).containsPattern("Amount credited\\s+0\\.00");
        assertThat(text).containsPattern("Amount due\\s+USD 10\\.91");
    }

    @Test
    void anInvoiceSentToBePaidShowsItsDueDate() throws Exception {
        // A payer by wire has only the PDF to go by: it says by when, in the account's zone, as the other dates.
        String account = account("{\"name\":\"By wire\",\"email\":\"a@wire.test\",\"currency\":\"usd\",\"timezone\":\"Asia/Tokyo\"}");
        Res draft = api.post("/v1/accounts/" + account + "/invoices", """
                {"lines": [{"description": "Security audit", "amount": 10000}],
                 "collection_method": "send_invoice", "days_until_due": 30}""");
        assertThat(draft.status()).as(draft.text()).isEqualTo(200);
        Res open = api.post("/v1/invoices/" + draft.str("id") + "/finalize", null);
        assertThat(open.status()).as(open.text()).isEqualTo(200);
        DateTimeFormatter day = DateTimeFormatter.ofPattern("d MMM uuuu", Locale.ENGLISH);
        ZoneId tokyo = ZoneId.of("Asia/Tokyo");
        String issued = day.format(Instant.parse(open.str("issued_at")).atZone(tokyo));
        String due = day.format(Instant.parse(open.str("due_date")).atZone(tokyo));
        String text = pdfText(open.str("id"));
        assertThat(text).containsPattern("Issue date\\s+" + issued).containsPattern("Due date\\s+" + due);
        // Charged automatically, an invoice has no due date to print.
        Invoice charged = Drafts.issued(server, api, Drafts.march(account, "usd"));
        assertThat(pdfText(charged.id())).doesNotContain("Due date");
    }

    @Test
    void everyPageSaysWhoseItIsAndWhichOfHowMany() throws Exception {
        // Page 2 on its own (printed, or one page of a scan) said nothing of the invoice it belongs to.
        String account = account("{\"name\":\"Shop\",\"email\":\"a@shop.test\",\"currency\":\"usd\"}");
        List<InvoiceLine> lines = new ArrayList<>();
        for (int k = 1; k <= 60; k++)
            lines.add(new InvoiceLine("usage", "Bandwidth (GB), site " + k, "plan_bandwidth", "sub_usage", null, null, null,
                    Drafts.MARCH, Drafts.APRIL, 100, null, 100));
        Invoice invoice = Drafts.issued(server, api, new NewInvoice(account, "usd", Drafts.APRIL, Drafts.MARCH, Drafts.APRIL, lines, List.of()));
        List<String> pages = pages(pdf(invoice.id()).body());
        assertThat(pages).hasSizeGreaterThan(1);
        for (int i = 0; i < pages.size(); i++)
            assertThat(pages.get(i)).containsPattern("Invoice INV-000001\\s+Page " + (i + 1) + " of " + pages.size() + "\\s*$");

        // A credit note of every line runs to several pages as well.
        String entries = String.join(",", invoice.lines().stream().map(l -> "{\"line\":\"" + l.id() + "\",\"amount\":10}").toList());
        Res note = api.post("/v1/invoices/" + invoice.id() + "/credit_notes", "{\"lines\":[" + entries + "]}");
        assertThat(note.status()).as(note.text()).isEqualTo(200);
        List<String> notePages = pages(get("/v1/credit_notes/" + note.str("id") + "/pdf"));
        assertThat(notePages).hasSizeGreaterThan(1);
        for (int i = 0; i < notePages.size(); i++)
            assertThat(notePages.get(i)).containsPattern("Credit note CN-000001\\s+Page " + (i + 1) + " of " + notePages.size() + "\\s*$");
    }

    @Test
    void aDocumentIsTheSameFileEachTimeItsContentIsTheSame() throws Exception {
        // It was dated by the server's clock and given a random /ID: every download was a different file.
        String account = account("{\"name\":\"Shop\",\"email\":\"a@shop.test\",\"currency\":\"usd\"}");
        Invoice invoice = Drafts.issued(server, api, Drafts.march(account, "usd"));
        Res note = api.post("/v1/invoices/" + invoice.id() + "/credit_notes", "{\"amount\":100}");
        assertThat(note.status()).as(note.text()).isEqualTo(200);
        Res draft = api.post("/v1/accounts/" + account + "/invoices", "{\"lines\":[{\"description\":\"Security audit\",\"amount\":10000}]}");
        assertThat(draft.status()).as(draft.text()).isEqualTo(200);
        String notePath = "/v1/credit_notes/" + note.str("id") + "/pdf";
        byte[] first = pdf(invoice.id()).body(), firstNote = get(notePath), firstDraft = pdf(draft.str("id")).body();
        Thread.sleep(1_100); // the dates are to the second
        assertThat(pdf(invoice.id()).body()).isEqualTo(first);
        assertThat(get(notePath)).isEqualTo(firstNote);
        assertThat(pdf(draft.str("id")).body()).isEqualTo(firstDraft);
        // Dated by the invoice's issue, the credit note's creation, the draft's creation (a one-off draft's period starts then).
        assertThat(created(first)).isEqualTo(invoice.issuedAt().truncatedTo(ChronoUnit.SECONDS));
        assertThat(created(firstNote)).isEqualTo(Instant.parse(note.str("created_at")).truncatedTo(ChronoUnit.SECONDS));
        assertThat(created(firstDraft)).isEqualTo(Instant.parse(draft.str("period_start")).truncatedTo(ChronoUnit.SECONDS));
        // Each document has an /ID of its own.
        assertThat(List.of(documentId(first), documentId(firstNote), documentId(firstDraft))).doesNotHaveDuplicates();
    }

    private static Instant created(byte[] pdf) throws IOException {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            return doc.getDocumentInformation().getCreationDate().toInstant();
        }
    }

    private static String documentId(byte[] pdf) throws IOException {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            return doc.getDocument().getTrailer().getCOSArray(COSName.ID).toString();
        }
    }

    @Test
    void datesAreInTheAccountsTimeZone() throws Exception {
        String account = account("{\"name\":\"Tokyo Shop\",\"email\":\"a@shop.test\",\"currency\":\"usd\",\"timezone\":\"Asia/Tokyo\"}");
        // 15:00 UTC on 31 March is already 1 April in Tokyo.
        Instant billing = Instant.parse("2026-03-31T15:00:00Z");
        NewInvoice draft = new NewInvoice(account, "usd", billing, Instant.parse("2026-02-28T15:00:00Z"), billing,
                List.of(Drafts.usage()), List.of());
        Invoice invoice = Drafts.issued(server, api, draft);
        assertThat(pdfText(invoice.id())).contains("1 – 31 Mar 2026");
    }

    @Test
    void aJpyInvoiceHasNoDecimals() throws Exception {
        String account = account("{\"name\":\"Kaisha\",\"email\":\"a@kaisha.test\",\"currency\":\"jpy\"}");
        Invoice invoice = Drafts.issued(server, api, Drafts.march(account, "jpy"));
        String text = pdfText(invoice.id());
        assertThat(text).containsPattern("Subtotal\\s+1,364");
        assertThat(text).containsPattern("Discount: Launch 20% off\\s+-273");
        assertThat(text).containsPattern("Total\\s+1,091");
        assertThat(text).containsPattern("Amount due\\s+JPY 1,091");
        assertThat(text).contains("900", "435").doesNotContain("13.64", "10.91", "9.00");
    }

    @Test
    void creditsAndTheNewStatusShowOnThePdf() throws Exception {
        String account = account("{\"name\":\"Shop\",\"email\":\"a@shop.test\",\"currency\":\"usd\"}");
        Invoice invoice = Drafts.issued(server, api, Drafts.march(account, "usd"));
        api.post("/v1/invoices/" + invoice.id() + "/credit_notes", "{}");
        String text = pdfText(invoice.id());
        assertThat(text).contains("PAID");
        assertThat(text).containsPattern("Amount credited\\s+10\\.91").doesNotContain("-10.91");
        assertThat(text).containsPattern("Amount due\\s+USD 0\\.00");
    }

    @Test
    void aVoidInvoiceAsksNothingWhileAnUncollectibleOneIsStillOwed() throws Exception {
        String account = account("{\"name\":\"Shop\",\"email\":\"a@shop.test\",\"currency\":\"usd\"}");
        Invoice voided = Drafts.issued(server, api, Drafts.march(account, "usd"));
        assertThat(api.post("/v1/invoices/" + voided.id() + "/void", null).status()).isEqualTo(200);
        String text = pdfText(voided.id());
        assertThat(text).contains("VOID").containsPattern("Total\\s+10\\.91");
        assertThat(text).containsPattern("Amount due\\s+USD 0\\.00\\s+Void \u2014 nothing to pay").doesNotContain("USD 10.91");
        // The API keeps the figures as they were, for the record (decision 008).
        assertThat(api.get("/v1/invoices/" + voided.id()).json().get("amount_due").asLong()).isEqualTo(1091);

        Invoice writtenOff = Drafts.issued(server, api, Drafts.at(account, "usd", Instant.parse("2026-05-01T00:00:00Z"), 2500));
        assertThat(api.post("/v1/invoices/" + writtenOff.id() + "/mark_uncollectible", null).status()).isEqualTo(200);
        assertThat(pdfText(writtenOff.id())).contains("UNCOLLECTIBLE").containsPattern("Amount due\\s+USD 25\\.00")
                .doesNotContain("nothing to pay");
    }

    @Test
    void aPaymentShowsAsTheAmountPaidWithoutAMinusSign() throws Exception {
        String account = account("{\"name\":\"Shop\",\"email\":\"a@shop.test\",\"currency\":\"usd\"}");
        Invoice invoice = Drafts.issued(server, api, Drafts.march(account, "usd"));
        assertThat(api.post("/v1/invoices/" + invoice.id() + "/record_payment",
                "{\"amount\":1091,\"method\":\"wire\",\"reference\":\"SEPA 2026-04-02\"}").status()).isEqualTo(200);
        String text = pdfText(invoice.id());
        assertThat(text).contains("PAID");
        assertThat(text).containsPattern("Amount paid\\s+10\\.91").doesNotContain("-10.91");
        assertThat(text).containsPattern("Amount due\\s+USD 0\\.00");
    }

    @Test
    void moneyGivenBackAfterPaymentIsListedUnderTheAmountDue() throws Exception {
        // Decision 093: the paid invoice's amounts stay as they were; each credit note after payment says where it went.
        String account = account("{\"name\":\"Shop\",\"email\":\"a@shop.test\",\"currency\":\"usd\"}");
        Invoice invoice = Drafts.issued(server, api, Drafts.march(account, "usd"));
        assertThat(api.post("/v1/invoices/" + invoice.id() + "/record_payment",
                "{\"amount\":1091,\"method\":\"wire\",\"reference\":\"SEPA 2026-04-02\"}").status()).isEqualTo(200);
        assertThat(pdfText(invoice.id())).doesNotContain("Credit note");
        Res first = api.post("/v1/invoices/" + invoice.id() + "/credit_notes", "{\"amount\":300,\"refund_to\":\"balance\"}");
        assertThat(first.status()).as(first.text()).isEqualTo(200);
        Res second = api.post("/v1/invoices/" + invoice.id() + "/credit_notes", "{\"amount\":91,\"refund_to\":\"balance\"}");
        assertThat(second.status()).as(second.text()).isEqualTo(200);
        String text = pdfText(invoice.id());
        assertThat(text).containsPattern("Amount paid\\s+10\\.91").containsPattern("Amount due\\s+USD 0\\.00");
        assertThat(text).containsPattern("Given back after payment\\s+" + first.str("number") + " to balance\\s+-3\\.00\\s+"
                + second.str("number") + " to balance\\s+-0\\.91");
        assertThat(text.indexOf(first.str("number"))).isLessThan(text.indexOf(second.str("number")));
    }

    @Test
    void creditNotesBeforePaymentAreNamedUnderTheAmountCredited() throws Exception {
        // It said "Amount credited 5.29" and named no credit note, while those after payment were listed by number.
        String account = account("{\"name\":\"Shop\",\"email\":\"a@shop.test\",\"currency\":\"usd\"}");
        Invoice invoice = Drafts.issued(server, api, Drafts.march(account, "usd"));
        Res first = api.post("/v1/invoices/" + invoice.id() + "/credit_notes", "{\"amount\":500}");
        assertThat(first.status()).as(first.text()).isEqualTo(200);
        Res second = api.post("/v1/invoices/" + invoice.id() + "/credit_notes",
                "{\"lines\":[{\"line\":\"" + invoice.lines().get(2).id() + "\"}]}"); // the usage line, 0.29
        assertThat(second.status()).as(second.text()).isEqualTo(200);
        String credited = "Amount credited\\s+5\\.29\\s+" + first.str("number") + "\\s+5\\.00\\s+" + second.str("number") + "\\s+0\\.29\\s+";
        assertThat(pdfText(invoice.id())).containsPattern(credited + "Amount due\\s+USD 5\\.62");

        // Paid, then some given back: each credit note in its place.
        assertThat(api.post("/v1/invoices/" + invoice.id() + "/record_payment",
                "{\"amount\":562,\"method\":\"wire\",\"reference\":\"SEPA 2026-04-02\"}").status()).isEqualTo(200);
        Res after = api.post("/v1/invoices/" + invoice.id() + "/credit_notes", "{\"amount\":200,\"refund_to\":\"balance\"}");
        assertThat(after.status()).as(after.text()).isEqualTo(200);
        assertThat(pdfText(invoice.id())).containsPattern(credited + "Amount due\\s+USD 0\\.00\\s+Given back after payment\\s+"
                + after.str("number") + " to balance\\s+-2\\.00");
    }

    @Test
    void fifteenDigitAmountsStayOnOneLine() throws Exception {
        // "USD" above "4,999,999.95" under "Amount due", a line's amount broken after its ninth character.
        String account = account("{\"name\":\"Shop\",\"email\":\"a@shop.test\",\"currency\":\"usd\"}");
        List<InvoiceLine> lines = List.of(
                new InvoiceLine("subscription", "Dedicated hosting", "plan_hosting", "sub_1", null, null, null, Drafts.MARCH, Drafts.APRIL,
                        1, null, InvoiceLine.MAX_AMOUNT),
                new InvoiceLine("usage", "Requests", "plan_requests", "sub_2", null, null, null, Drafts.MARCH, Drafts.APRIL,
                        1_000_000_000_000L, null, 499_999_995));
        Invoice invoice = Drafts.issued(server, api, new NewInvoice(account, "usd", Drafts.APRIL, Drafts.MARCH, Drafts.APRIL, lines, List.of()));
        String text = pdfText(invoice.id());
        assertThat(text).contains("1,000,000,000,000.00", "1000000000000", "4,999,999.95");
        assertThat(text).containsPattern("Total\\s+1,000,004,999,999\\.95").containsPattern("Amount due\\s+USD 1,000,004,999,999\\.95");
        // Its credit note, of all of it.
        Res note = api.post("/v1/invoices/" + invoice.id() + "/credit_notes", "{}");
        assertThat(note.status()).as(note.text()).isEqualTo(200);
        assertThat(text(get("/v1/credit_notes/" + note.str("id") + "/pdf"))).containsPattern("INV-000001\\s+1,000,004,999,999\\.95")
                .containsPattern("Total credited\\s+USD 1,000,004,999,999\\.95");
    }

    @Test
    void anIssuedInvoiceKeepsTheCompaniesAsTheyWereWhenItWasIssued() throws Exception {
        String account = account("{\"name\":\"Shop\",\"email\":\"a@shop.test\",\"currency\":\"usd\"}");
        Invoice invoice = Drafts.issued(server, api, Drafts.march(account, "usd"));
        assertThat(api.post("/v1/tenant", "{\"company\":{\"legal_name\":\"Hostmost Holding N.V.\"}}").status()).isEqualTo(200);
        String text = pdfText(invoice.id());
        assertThat(text).contains("Hostmost B.V.", "Keizersgracht 1", "help@hostmost.test").doesNotContain("Holding");
        // The next invoice shows the new details.
        Invoice next = Drafts.issued(server, api, Drafts.at(account, "usd", Instant.parse("2026-05-01T00:00:00Z"), 100));
        assertThat(pdfText(next.id())).contains("Hostmost Holding N.V.").doesNotContain("Keizersgracht");
    }

    @Test
    void withoutCompanyDetailsTheBuyerIsTheAccountsNameAndEmail() throws Exception {
        String account = account("{\"name\":\"Plain Shop\",\"email\":\"owner@plain.test\",\"currency\":\"usd\"}");
        Invoice invoice = Drafts.issued(server, api, Drafts.march(account, "usd"));
        assertThat(pdfText(invoice.id())).contains("Plain Shop", "owner@plain.test");
    }

    @Test
    void namesInOtherAlphabetsPrint() throws Exception {
        String account = account("""
                {"name": "Żółw", "email": "a@zolw.test", "currency": "pln",
                 "company": {"legal_name": "Żółć Łódź Sp. z o.o.", "address": {"line1": "ул. Тверская 7", "country": "PL"}}}""");
        Invoice invoice = Drafts.issued(server, api, Drafts.march(account, "pln"));
        String text = pdfText(invoice.id());
        assertThat(text).contains("Żółć Łódź Sp. z o.o.", "ул. Тверская 7", "Poland", "PLN 10.91");
    }

    @Test
    void namesInScriptsLiberationSansLacksPrintWithTheServersFallBackFonts() throws Exception {
        String account = account("""
                {"name": "Ωmega", "email": "a@omega.test", "currency": "jpy",
                 "company": {"legal_name": "Ωmega 株式会社", "address": {"line1": "Բաղրամյան 24", "city": "東京", "country": "JP"}}}""");
        Invoice invoice = Drafts.issued(server, api, Drafts.march(account, "jpy"));
        assertThat(pdfText(invoice.id())).contains("Ωmega \u25A1\u25A1\u25A1\u25A1");
        server.app.invoices.printWith(PdfFontsTest.fallbacks()); // as TOLLGATE_PDF_FONTS does at start
        try {
            assertThat(pdfText(invoice.id())).contains("Ωmega 株式会社", "Բաղրամյան 24", "東京").doesNotContain("\u25A1");
        } finally {
            server.app.invoices.printWith(PdfFonts.BUILT_IN); // the server is shared with the other tests
        }
    }
}
