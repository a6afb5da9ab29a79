package tollgate.console;

import org.junit.jupiter.api.extension.RegisterExtension;
import tollgate.testing.Browser;

/** {@link ConsoleCatalog} on H2. */
class ConsoleCatalogBrowserTest extends ConsoleCatalog {
    @RegisterExtension
    static final Browser browser = new Browser();

    @Override
    Browser browser() {
        return browser;
    }
}
