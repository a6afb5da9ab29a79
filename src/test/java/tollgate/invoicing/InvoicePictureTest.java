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
}
