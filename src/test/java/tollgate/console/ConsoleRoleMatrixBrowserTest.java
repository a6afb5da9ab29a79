package tollgate.console;

import org.junit.jupiter.api.extension.RegisterExtension;
import tollgate.testing.Browser;

/** {@link ConsoleRoleMatrix} on H2. */
class ConsoleRoleMatrixBrowserTest extends ConsoleRoleMatrix {
    @RegisterExtension
    static final Browser browser = new Browser();

    @Override
    Browser browser() {
        return browser;
    }
}
