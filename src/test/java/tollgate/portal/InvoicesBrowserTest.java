package tollgate.portal;

import org.junit.jupiter.api.extension.RegisterExtension;
import tollgate.testing.Browser;

/** {@link Invoices} on H2. */
class InvoicesBrowserTest extends Invoices {
    @RegisterExtension
    static final Browser browser = new Browser();

    @Override
    Browser browser() {
        return browser;
    }
}
