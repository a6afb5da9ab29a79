package tollgate.invoicing;

import java.io.IOException;

/** PDFBox's reading of a PDF (as {@link InvoicePdfTest} reads invoices), for tests in other packages. */
public final class InvoicePdfTestAccess {
    private InvoicePdfTestAccess() {}

    public static String text(byte[] pdf) throws IOException {
        return InvoicePdfTest.text(pdf);
    }
}
