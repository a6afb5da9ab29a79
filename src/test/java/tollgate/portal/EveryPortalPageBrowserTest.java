package tollgate.portal;

import org.junit.jupiter.api.extension.RegisterExtension;
import tollgate.testing.Browser;

/** {@link EveryPortalPage} on H2. */
class EveryPortalPageBrowserTest extends EveryPortalPage {
    @RegisterExtension
    static final Browser browser = new Browser();

    @Override
    Browser browser() {
        return browser;
    }
}
