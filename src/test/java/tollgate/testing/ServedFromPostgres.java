package tollgate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A browser test run again on PostgreSQL (when {@code TOLLGATE_TEST_DATABASE_URL} is set, as in CI; the same tests run on
 * H2 by their other subclass): checks that it really is, so that a run cannot fall back to H2 unseen.
 */
public interface ServedFromPostgres {
    Browser browser();

    @Test
    default void thePagesAreServedFromPostgres() {
        assertThat(browser().server.app.db.dialect()).isEqualTo(org.jooq.SQLDialect.POSTGRES);
    }
}
