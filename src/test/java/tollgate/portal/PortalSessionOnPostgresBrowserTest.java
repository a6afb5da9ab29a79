package tollgate.portal;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;
import tollgate.testing.Browser;
import tollgate.testing.ServedFromPostgres;
import tollgate.testing.TestDatabase;

/** {@link PortalSession} on PostgreSQL (when {@code TOLLGATE_TEST_DATABASE_URL} is set, as in CI). */
@EnabledIfEnvironmentVariable(named = TestDatabase.ENV, matches = ".+")
class PortalSessionOnPostgresBrowserTest extends PortalSession implements ServedFromPostgres {
    @RegisterExtension
    static final Browser browser = Browser.onPostgres();

    @Override
    public Browser browser() {
        return browser;
    }
}
