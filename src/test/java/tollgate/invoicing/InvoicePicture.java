package tollgate.invoicing;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import tollgate.accounts.Account;
import tollgate.parties.Address;
import tollgate.parties.Company;
import tollgate.tenants.SellerCompany;
import tollgate.tenants.TenantProfile;

/**
 * Renders page 1 of an example invoice to a PNG, to look at the layout as a person would:
 * {@code java -cp target/classes:target/test-classes:<deps> tollgate.invoicing.InvoicePicture docs/images/invoice-example.png}
 * (then {@code --logo}, {@code --scripts} or {@code --rtl} after the file for those examples).
 */
public final class InvoicePicture {
    private InvoicePicture() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "target/invoice-example.png");
        Files.createDirectories(out.toAbsolutePath().getParent());
        String option = args.length > 1 ? args[1] : "";
        byte[] pdf = switch (option) {
            case "--logo" -> exampleWithLogo();
            // Decision 088: a buyer in Japanese and Armenian with the fall-back fonts of PdfFontsTest, and an emoji none has.
            case "--scripts" -> PdfFontsTest.invoice("Ωmega 株式会社 \uD83E\uDE90", "Բաղրամյան 24", "ホスティング — Pro",
                    PdfFontsTest.fallbacks());
            case "--rtl" -> PdfFontsTest.invoice("שלום בע\"מ Ltd", "شارع النيل 5", "Pro", PdfFontsTest.fallbacks());
            default -> example();
        };
        write(pdf, out, 110);
        System.out.println("wrote " + out);
    }

    static void write(byte[] pdf, Path png, int dpi) throws Exception {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            BufferedImage page = new PDFRenderer(doc).renderImageWithDPI(0, dpi, ImageType.RGB);
            ImageIO.write(page, "png", png.toFile());
        }
    }

    /** The example with the seller's logo (decision 049), as the console's settings store it. */
    static byte[] exampleWithLogo() throws java.io.IOException {
        return example(logo());
    }

    /**
     * A 320 × 96 PNG logo drawn here (no font needed): an indigo mark, a dark word-like bar and a lighter one — wide, as
     * most logos are, so that fitting it in 160 × 48 pt shows it keeps its proportions.
     */
    static byte[] logo() throws java.io.IOException {
        BufferedImage img = new BufferedImage(320, 96, BufferedImage.TYPE_INT_ARGB);
        java.awt.Graphics2D g = img.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new java.awt.Color(0x4f, 0x46, 0xe5));
        g.fillRoundRect(0, 8, 80, 80, 24, 24);
        g.setColor(java.awt.Color.WHITE);
        g.fillOval(20, 28, 40, 40);
        g.setColor(new java.awt.Color(0x1f, 0x29, 0x37));
        g.fillRoundRect(100, 22, 200, 26, 10, 10);
        g.setColor(new java.awt.Color(0x9c, 0xa3, 0xaf));
        g.fillRoundRect(100, 58, 140, 16, 8, 8);
        g.dispose();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    /** The invoice of the tests (900 + 435 + 29, 20% off), sold by a Dutch host to a Berlin agency. */
    static byte[] example() {
        return example(null);
    }

    static byte[] example(byte[] logo) {
        TenantProfile seller = new TenantProfile("tnt_example", "Hostmost", "live", new SellerCompany(
                new Company("Hostmost B.V.", new Address("Keizersgracht 1", null, "Amsterdam", "1015 CJ", null, "NL"),
                        "NL123456789B01", "billing@hostmost.test"), "help@hostmost.test"));
        Account buyer = new Account("acct_example", "Acme Agency", "ops@acme.test", "usd", "UTC",
                new Company("Acme GmbH", new Address("Hauptstr. 1", "2. OG", "Berlin", "10115", null, "DE"), "DE123456789",
                        "billing@acme.test"), Instant.parse("2026-01-10T09:00:00Z"));
        List<Invoice.Line> lines = List.of(
                Invoice.Line.of("il_1", Drafts.fullMonth()), Invoice.Line.of("il_2", Drafts.halfMonth()),
                Invoice.Line.of("il_3", Drafts.usage()));
        Invoice invoice = Invoice.draft("inv_0mhz3k2a1b9x8c7d6e5f4g", buyer.id(), "usd", Drafts.APRIL, Drafts.MARCH, Drafts.APRIL,
                lines, List.of(new Discount("coupon_launch", "sub_usage", "Launch 20% off", 273)))
                .opened("INV-000042", Instant.parse("2026-04-01T00:00:00Z"));
        return InvoicePdf.render(invoice, InvoiceParties.of(seller, buyer), logo);
    }
}
