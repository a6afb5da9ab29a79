package tollgate.invoicing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tollgate.Config;
import tollgate.accounts.Account;
import tollgate.parties.Address;
import tollgate.parties.Company;
import tollgate.tenants.SellerCompany;
import tollgate.tenants.TenantProfile;

/**
 * Decision 088: invoices print what customers wrote in any script a font given to them has, and mark what none has.
 * The fall-backs are Debian's DejaVu Sans (Armenian, Georgian, symbols) and WenQuanYi Micro Hei (Chinese, Japanese
 * kana, Korean), which {@code .ci/run} installs when they are missing.
 */
class PdfFontsTest {
    static final Path DEJAVU = Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
    static final Path WQY = Path.of("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc");
    private static final String NAME = "Ωmega 株式会社";
    private static final String STREET = "Բաղրամյան 24";

    static PdfFonts fallbacks() {
        for (Path font : List.of(DEJAVU, WQY))
            assertThat(font).as("a fall-back font of this test: apt-get install fonts-dejavu-core fonts-wqy-microhei (.ci/run does)").exists();
        return PdfFonts.withFallbacks(List.of(DEJAVU, WQY));
    }

    /** Hostmost selling to a buyer with {@code name} at {@code street}. */
    static InvoiceParties parties(String name, String street) {
        TenantProfile seller = new TenantProfile("tnt_example", "Hostmost", "live", new SellerCompany(
                new Company("Hostmost B.V.", new Address("Keizersgracht 1", null, "Amsterdam", "1015 CJ", null, "NL"),
                        "NL123456789B01", "billing@hostmost.test"), "help@hostmost.test"));
        Account buyer = new Account("acct_example", name, "ops@example.test", "jpy", "Asia/Tokyo",
                new Company(name, new Address(street, null, "東京", "100-0001", null, "JP"), null, "billing@example.test"),
                Instant.parse("2026-01-10T09:00:00Z"));
        return InvoiceParties.of(seller, buyer);
    }

    /** An issued invoice of one line described as {@code line}. */
    static Invoice invoiceOf(String line) {
        Invoice.Line only = Invoice.Line.of("il_1", Drafts.fullMonth());
        return Invoice.draft("inv_0mhz3k2a1b9x8c7d6e5f4g", "acct_example", "jpy", Drafts.APRIL, Drafts.MARCH, Drafts.APRIL,
                List.of(new Invoice.Line(only.id(), only.kind(), line, only.plan(), only.subscription(), only.license(),
                        only.keySuffix(), only.siteUrl(), only.periodStart(), only.periodEnd(), only.quantity(), only.days(),
                        only.amount())), List.of())
                .opened("INV-000042", Instant.parse("2026-04-01T00:00:00Z"));
    }

    static byte[] invoice(String name, String street, String line, PdfFonts fonts) {
        return InvoicePdf.render(invoiceOf(line), parties(name, street), null, fonts);
    }

    /** The base names of the fonts page 1 uses, without the subset's prefix ("ABCDEF+"). */
    static List<String> fontsOf(byte[] pdf) throws Exception {
        List<String> names = new ArrayList<>();
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            PDResources resources = doc.getPage(0).getResources();
            collect(resources, names);
        }
        return names;
    }

    private static void collect(PDResources resources, List<String> names) throws Exception {
        for (COSName f : resources.getFontNames()) {
            String name = resources.getFont(f).getName();
            names.add(name.contains("+") ? name.substring(name.indexOf('+') + 1) : name);
        }
        for (COSName x : resources.getXObjectNames())
            if (resources.getXObject(x) instanceof org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject form && form.getResources() != null)
                collect(form.getResources(), names);
    }

    @Test
    void withoutAFontThatHasThemCharactersPrintAsWhiteSquaresNotNothing() throws Exception {
        byte[] pdf = invoice(NAME, STREET, "Hosting — Pro", PdfFonts.BUILT_IN);
        String text = InvoicePdfTest.text(pdf);
        // Greek and Latin are Liberation Sans's; the four CJK characters and the Armenian letters are nobody's.
        assertThat(text).contains("Ωmega \u25A1\u25A1\u25A1\u25A1", "\u25A1\u25A1\u25A1\u25A1\u25A1\u25A1\u25A1\u25A1\u25A1 24",
                "Hosting — Pro").doesNotContain("株式会社");
        assertThat(fontsOf(pdf)).containsOnly("LiberationSans");
    }

    @Test
    void theFallBackFontsPrintWhatLiberationSansLacksEachCharacterInTheFirstThatHasIt() throws Exception {
        byte[] pdf = invoice(NAME, STREET, "ホスティング — Pro", fallbacks());
        String text = InvoicePdfTest.text(pdf);
        assertThat(text).contains(NAME, STREET, "ホスティング — Pro", "100-0001 東京", "Hostmost B.V.").doesNotContain("\u25A1");
        // Latin and Greek stay in Liberation Sans; Armenian is DejaVu's (first); CJK is WenQuanYi's, DejaVu having none.
        List<String> fonts = fontsOf(pdf);
        assertThat(fonts).contains("LiberationSans", "DejaVuSans");
        assertThat(fonts).anyMatch(f -> f.startsWith("WenQuanYi"));
    }

    @Test
    void invisibleCharactersNoFontHasAreLeftOutAndVisibleOnesAreMarked() throws Exception {
        // Liberation Sans has none of these: a heart (U+2764), a smiling face (U+1F600), a ringed planet (U+1FA90, in no
        // font here), and two characters that have no glyph to show, a variation selector (U+FE0F) and a joiner (U+200D).
        String name = "I \u2764\uFE0F Tollgate \uD83D\uDE00\u200D\uD83E\uDE90";
        assertThat(InvoicePdfTest.text(invoice(name, "Main St 1", "Pro", PdfFonts.BUILT_IN))).contains("I \u25A1 Tollgate \u25A1\u25A1");
        // DejaVu Sans has the heart, the face and both invisible characters; nobody has the planet.
        assertThat(InvoicePdfTest.text(invoice(name, "Main St 1", "Pro", fallbacks()))).contains("I \u2764\uFE0F Tollgate \uD83D\uDE00")
                .contains("\u25A1").doesNotContain("\uD83E\uDE90");
    }

    @Test
    void rightToLeftScriptsReadInTheirOwnOrder() throws Exception {
        byte[] pdf = invoice("שלום בע\"מ Ltd", "شارع النيل 5", "Pro", fallbacks());
        String text = InvoicePdfTest.text(pdf);
        // PDFBox reads the page's visual order back into logical order (it puts the line's Latin word after the Hebrew).
        // Without the bidi rules the page held the letters as typed, which reads back reversed: "מ"עב םולש".
        assertThat(text).contains("שלום בע\"מ", "شارع النيل 5").doesNotContain("םולש");
    }

    @Test
    void aCreditNotePrintsWithTheSameFonts() throws Exception {
        Invoice invoice = invoiceOf("ホスティング");
        CreditNote note = new CreditNote("cn_1", invoice.id(), "acct_example", "CN-000007", "jpy", 500,
                List.of(new CreditNote.Line("il_1", "ホスティング", 500)), "請求の重複", Instant.parse("2026-04-03T00:00:00Z"),
                CreditNote.PRE_PAYMENT, CreditNote.ISSUED, null, null, null);
        byte[] pdf = CreditNotePdf.render(note, invoice, parties(NAME, STREET), fallbacks());
        assertThat(InvoicePdfTest.text(pdf)).contains(NAME, STREET, "ホスティング", "Reason: 請求の重複").doesNotContain("\u25A1");
        assertThat(InvoicePdfTest.text(CreditNotePdf.render(note, invoice, parties(NAME, STREET))))
                .contains("Reason: \u25A1\u25A1\u25A1\u25A1\u25A1");
    }

    @Test
    void theSettingIsAListOfFilesAsInPath() {
        assertThat(Config.pdfFonts(Map.of())).isEmpty();
        assertThat(Config.pdfFonts(Map.of("TOLLGATE_PDF_FONTS", "  "))).isEmpty();
        assertThat(Config.pdfFonts(Map.of("TOLLGATE_PDF_FONTS", "/a/b.ttf: /c/d.ttc")))
                .containsExactly(Path.of("/a/b.ttf"), Path.of("/c/d.ttc"));
    }

    @Test
    void aFileThatIsNotAFontIsRefusedAtStartWithItsName(@TempDir Path dir) throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.ttf"), "not a font");
        assertThatThrownBy(() -> PdfFonts.withFallbacks(List.of(junk)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TOLLGATE_PDF_FONTS").hasMessageContaining(junk.toString())
                .hasMessageContaining("not a font");
        Path missing = dir.resolve("missing.ttf");
        assertThatThrownBy(() -> PdfFonts.withFallbacks(List.of(missing)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot read " + missing);
        Path text = Files.writeString(dir.resolve("fonts.txt"), "x");
        assertThatThrownBy(() -> PdfFonts.withFallbacks(List.of(text)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(".ttf, .otf or .ttc");
    }
}
