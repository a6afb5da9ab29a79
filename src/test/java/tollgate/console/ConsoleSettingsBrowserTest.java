package tollgate.console;

import org.junit.jupiter.api.extension.RegisterExtension;
import tollgate.testing.Browser;

/** {@link ConsoleSettings} on H2. */
class ConsoleSettingsBrowserTest extends ConsoleSettings {
    @RegisterExtension
    static final Browser browser = new Browser();

    @Override
    Browser browser() {
        return browser;
    }
}
