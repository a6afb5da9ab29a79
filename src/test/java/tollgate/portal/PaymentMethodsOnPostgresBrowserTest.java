package tollgate.portal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;
import tollgate.testing.Browser;
import tollgate.testing.TestDatabase;

/**
 * {@link PaymentMethods} on PostgreSQL (when {@code TOLLGATE_TEST_DATABASE_URL} is set, as in CI): cards added, made
 * primary and deleted in a person's browser, and an add sent twice at once saving one card, on the database production
 * runs on.
 */
@EnabledIfEnvironmentVariable(named = TestDatabase.ENV, matches = ".+")
class PaymentMethodsOnPostgresBrowserTest extends PaymentMethods {
    @RegisterExtension
    static final Browser browser = new Browser(TestDatabase.available().contains(TestDatabase.POSTGRES) ? TestDatabase.POSTGRES : TestDatabase.H2);

    @Override
    Browser browser() {
        return browser;
    }

    @Test
    void theCardsAreServedFromPostgres() {
        assertThat(browser.server.app.db.dialect()).isEqualTo(org.jooq.SQLDialect.POSTGRES);
    }
}
