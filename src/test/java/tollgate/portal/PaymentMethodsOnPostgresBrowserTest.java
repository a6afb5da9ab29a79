package tollgate.portal;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;
import tollgate.testing.Browser;
import tollgate.testing.ServedFromPostgres;
import tollgate.testing.TestDatabase;

/**
 * {@link PaymentMethods} on PostgreSQL (when {@code TOLLGATE_TEST_DATABASE_URL} is set, as in CI): cards added, made
 * primary and deleted in a person's browser, and an add sent twice at once saving one card, on the database production
 * runs on.
 */
@EnabledIfEnvironmentVariable(named = TestDatabase.ENV, matches = ".+")
class PaymentMethodsOnPostgresBrowserTest extends PaymentMethods implements ServedFromPostgres {
    @RegisterExtension
    static final Browser browser = Browser.onPostgres();

    @Override
    public Browser browser() {
        return browser;
    }
}
