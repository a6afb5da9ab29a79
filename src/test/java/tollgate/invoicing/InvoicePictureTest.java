package tollgate.invoicing;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDResources;
import org.junit.jupiter.api.Test;

/** The example invoice of docs/images renders, and looks the same in every viewer: every font is embedded. */
class InvoicePictureTest {

    @Test
    void everyFontOfTheInvoiceIsEmbedded() throws Exception {
        try (PDDocument doc = Loader.loadPDF(InvoicePicture.example())) {
            PDResources resources = doc.getPage(0).getResources();
            int fonts = 0;
            for (COSName name : resources.getFontNames()) {
                fonts++;
                assertThat(resources.getFont(name).isEmbedded()).as(resources.getFont(name).getName()).isTrue();
            }
            assertThat(fonts).isPositive();
        }
    }

    @Test
    void theExampleRendersToAPicture() throws Exception {
        Path png = Path.of("target/invoice-example.png");
        InvoicePicture.write(InvoicePicture.example(), png, 60);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isGreaterThan(400);
        assertThat(image.getRGB(image.getWidth() / 2, image.getHeight() - 5) & 0xffffff).isEqualTo(0xffffff);
    }

    /**
     * Decision 049: the tenant's logo prints above "Invoice", fitted in 160 × 48 pt (the 320 × 96 px logo at its 10:3
     * proportions), and the page rendered at 72 dpi shows the logo's indigo where it was placed (48 pt from the top
     * and the left margin). docs/images/invoice-with-logo.png is this page at 110 dpi.
     */
    @Test
    void theSellersLogoIsPrintedAboveTheTitleKeepingItsProportions() throws Exception {
        byte[] pdf = InvoicePicture.exampleWithLogo();
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            PDResources resources = doc.getPage(0).getResources();
            int images = 0;
            for (COSName name : resources.getXObjectNames()) {
                if (resources.getXObject(name) instanceof org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject image) {
                    images++;
                    assertThat(image.getWidth()).isEqualTo(320);
                    assertThat(image.getHeight()).isEqualTo(96);
                }
            }
            assertThat(images).as("the logo, and its transparency as a mask of the same size").isEqualTo(2);
        }
        Path png = Path.of("target/invoice-with-logo.png");
        InvoicePicture.write(pdf, png, 72);
        BufferedImage page = ImageIO.read(png.toFile());
        // The mark's indigo (#4f46e5) 10 pt into the logo from its top left corner, at 72 dpi 1 px = 1 pt.
        int rgb = page.getRGB(48 + 5, 48 + 10) & 0xffffff;
        assertThat(rgb).isEqualTo(0x4f46e5);
        InvoicePicture.write(pdf, Path.of("target/invoice-with-logo-110.png"), 110);
        // Without a logo nothing is drawn there.
        InvoicePicture.write(InvoicePicture.example(), Path.of("target/invoice-without-logo.png"), 72);
        assertThat(ImageIO.read(Path.of("target/invoice-without-logo.png").toFile()).getRGB(48 + 5, 48 + 10) & 0xffffff).isEqualTo(0xffffff);
    }

    @Test
    void aLogoThePdfLibraryCannotReadIsLeftOut() throws Exception {
        byte[] notAnImage = {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 0, 0, 0};
        try (PDDocument doc = Loader.loadPDF(InvoicePicture.example(notAnImage))) {
            assertThat(doc.getNumberOfPages()).isEqualTo(1);
        }
    }
}
