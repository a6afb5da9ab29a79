package tollgate.console;

import org.junit.jupiter.api.extension.RegisterExtension;
import tollgate.testing.Browser;

/** {@link ConsoleSignIn} on H2. */
class ConsoleSignInBrowserTest extends ConsoleSignIn {
    @RegisterExtension
    static final Browser browser = new Browser();

    @Override
    Browser browser() {
        return browser;
    }
}
