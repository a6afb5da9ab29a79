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
 * {@code java -cp target/classes:target/test-classes:<deps> tollgate.invoicing.InvoicePicture docs/images/invoice-example.png}.
 */
public final class InvoicePicture {
    private InvoicePicture() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "target/invoice-example.png");
        Files.createDirectories(out.toAbsolutePath().getParent());
        write(example(), out, 110);
        System.out.println("wrote " + out);
    }

    static void write(byte[] pdf, Path png, int dpi) throws Exception {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            BufferedImage page = new PDFRenderer(doc).renderImageWithDPI(0, dpi, ImageType.RGB);
            ImageIO.write(page, "png", png.toFile());
        }
    }

    /** The invoice of the tests (900 + 435 + 29, 20% off), sold by a Dutch host to a Berlin agency. */
    static byte[] example() {
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
        return InvoicePdf.render(invoice, InvoiceParties.of(seller, buyer));
    }
}
