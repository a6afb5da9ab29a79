package tollgate.portal;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;
import tollgate.testing.Browser;
import tollgate.testing.ServedFromPostgres;
import tollgate.testing.TestDatabase;

/**
 * {@link EveryPortalPage} on PostgreSQL (when {@code TOLLGATE_TEST_DATABASE_URL} is set, as in CI): the portal's reads
 * (the month so far read from an index, the invoices, the users) as a person's browser makes them, on the database
 * production runs on.
 */
@EnabledIfEnvironmentVariable(named = TestDatabase.ENV, matches = ".+")
class EveryPortalPageOnPostgresBrowserTest extends EveryPortalPage implements ServedFromPostgres {
    @RegisterExtension
    static final Browser browser = Browser.onPostgres();

    @Override
    public Browser browser() {
        return browser;
    }
}
