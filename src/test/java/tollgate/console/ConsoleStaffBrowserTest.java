package tollgate.console;

import org.junit.jupiter.api.extension.RegisterExtension;
import tollgate.testing.Browser;

/** {@link ConsoleStaff} on H2. */
class ConsoleStaffBrowserTest extends ConsoleStaff {
    @RegisterExtension
    static final Browser browser = new Browser();

    @Override
    Browser browser() {
        return browser;
    }
}
