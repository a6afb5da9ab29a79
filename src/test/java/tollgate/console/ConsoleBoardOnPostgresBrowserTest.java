package tollgate.console;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;
import tollgate.testing.Browser;
import tollgate.testing.ServedFromPostgres;
import tollgate.testing.TestDatabase;

/** {@link ConsoleBoard} on PostgreSQL (when {@code TOLLGATE_TEST_DATABASE_URL} is set, as in CI). */
@EnabledIfEnvironmentVariable(named = TestDatabase.ENV, matches = ".+")
class ConsoleBoardOnPostgresBrowserTest extends ConsoleBoard implements ServedFromPostgres {
    @RegisterExtension
    static final Browser browser = Browser.onPostgres();

    @Override
    public Browser browser() {
        return browser;
    }
}
