package tollgate.portal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;
import tollgate.testing.Browser;
import tollgate.testing.TestDatabase;

/**
 * {@link Invoices} on PostgreSQL (when {@code TOLLGATE_TEST_DATABASE_URL} is set, as in CI): a person paying a declined
 * invoice, and a Pay sent twice at once charging once, on the database production runs on, where two requests really
 * run at the same time against row locks.
 */
@EnabledIfEnvironmentVariable(named = TestDatabase.ENV, matches = ".+")
class InvoicesOnPostgresBrowserTest extends Invoices {
    @RegisterExtension
    static final Browser browser = new Browser(TestDatabase.available().contains(TestDatabase.POSTGRES) ? TestDatabase.POSTGRES : TestDatabase.H2);

    @Override
    Browser browser() {
        return browser;
    }

    @Test
    void theInvoicesAreServedFromPostgres() {
        assertThat(browser.server.app.db.dialect()).isEqualTo(org.jooq.SQLDialect.POSTGRES);
    }
}
