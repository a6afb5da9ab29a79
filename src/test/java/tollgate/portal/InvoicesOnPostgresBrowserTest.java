package tollgate.portal;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;
import tollgate.testing.Browser;
import tollgate.testing.ServedFromPostgres;
import tollgate.testing.TestDatabase;

/**
 * {@link Invoices} on PostgreSQL (when {@code TOLLGATE_TEST_DATABASE_URL} is set, as in CI): a person paying a declined
 * invoice, and a Pay sent twice at once charging once, on the database production runs on, where two requests really
 * run at the same time against row locks.
 */
@EnabledIfEnvironmentVariable(named = TestDatabase.ENV, matches = ".+")
class InvoicesOnPostgresBrowserTest extends Invoices implements ServedFromPostgres {
    @RegisterExtension
    static final Browser browser = Browser.onPostgres();

    @Override
    public Browser browser() {
        return browser;
    }
}
