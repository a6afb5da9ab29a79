package tollgate.portal;

import org.junit.jupiter.api.extension.RegisterExtension;
import tollgate.testing.Browser;

/** {@link Billing} on H2. */
class BillingBrowserTest extends Billing {
    @RegisterExtension
    static final Browser browser = new Browser();

    @Override
    Browser browser() {
        return browser;
    }
}
