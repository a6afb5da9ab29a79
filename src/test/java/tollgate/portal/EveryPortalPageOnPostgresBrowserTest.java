package tollgate.portal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;
import tollgate.testing.Browser;
import tollgate.testing.TestDatabase;

/**
 * {@link EveryPortalPage} on PostgreSQL (when {@code TOLLGATE_TEST_DATABASE_URL} is set, as in CI): the portal's reads
 * (the month so far read from an index, the invoices, the users) as a person's browser makes them, on the database
 * production runs on; the other browser tests run on H2.
 */
@EnabledIfEnvironmentVariable(named = TestDatabase.ENV, matches = ".+")
class EveryPortalPageOnPostgresBrowserTest extends EveryPortalPage {
    @RegisterExtension
    static final Browser browser = new Browser(TestDatabase.available().contains(TestDatabase.POSTGRES) ? TestDatabase.POSTGRES : TestDatabase.H2);

    @Override
    Browser browser() {
        return browser;
    }

    @Test
    void thePagesAreServedFromPostgres() {
        assertThat(browser.server.app.db.dialect()).isEqualTo(org.jooq.SQLDialect.POSTGRES);
    }
}
