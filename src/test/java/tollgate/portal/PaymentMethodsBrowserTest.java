package tollgate.portal;

import org.junit.jupiter.api.extension.RegisterExtension;
import tollgate.testing.Browser;

/** {@link PaymentMethods} on H2. */
class PaymentMethodsBrowserTest extends PaymentMethods {
    @RegisterExtension
    static final Browser browser = new Browser();

    @Override
    Browser browser() {
        return browser;
    }
}
