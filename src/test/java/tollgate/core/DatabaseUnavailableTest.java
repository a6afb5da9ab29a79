package tollgate.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.Test;

/**
 * Decision 051: which failures mean "the database cannot be reached now" (503 {@code database_unavailable} with
 * {@code Retry-After}) rather than a fault of the statement. The real thing is met by {@code DatabaseRestartTest}.
 */
class DatabaseUnavailableTest {
    private static RuntimeException wrapped(SQLException e) {
        return new DataAccessException("SQL [insert …]; " + e.getMessage(), e);
    }

    @Test
    void aPoolTimeoutAConnectionFailureAndAServerShuttingDownOrFailingOverAreUnavailability() {
        assertThat(Database.unavailable(wrapped(new SQLTransientConnectionException("tollgate - Connection is not available, "
                + "request timed out after 10000ms")))).isTrue();
        assertThat(Database.unavailable(wrapped(new SQLException("An I/O error occurred while sending to the backend.", "08006")))).isTrue();
        assertThat(Database.unavailable(wrapped(new SQLException("Connection to 127.0.0.1:55432 refused.", "08001")))).isTrue();
        assertThat(Database.unavailable(wrapped(new SQLException("terminating connection due to administrator command", "57P01")))).isTrue();
        assertThat(Database.unavailable(wrapped(new SQLException("the database system is starting up", "57P03")))).isTrue();
        assertThat(Database.unavailable(wrapped(new SQLException("cannot execute INSERT in a read-only transaction", "25006")))).isTrue();
        // Hikari's stand-in for a connection it evicted after the database broke it has no SQLState (a failover run met it).
        assertThat(Database.unavailable(wrapped(new SQLException("Connection is closed")))).isTrue();
    }

    @Test
    void aFailureWithoutSqlStateIsNoLostRaceAndNoCrash() {
        // Set.of(…).contains(null) throws: a null SQLState turned a failover's 503 into a 500 (NullPointerException).
        assertThat(Database.lostRace(wrapped(new SQLException("Connection is closed")))).isFalse();
        assertThat(Database.lostRace(wrapped(new SQLException("deadlock detected", "40P01")))).isTrue();
    }

    @Test
    void aBrokenStatementAConstraintOrALostLockRaceIsNot() {
        assertThat(Database.unavailable(wrapped(new SQLException("duplicate key value violates unique constraint", "23505")))).isFalse();
        assertThat(Database.unavailable(wrapped(new SQLException("deadlock detected", "40P01")))).isFalse();
        assertThat(Database.unavailable(wrapped(new SQLException("syntax error", "42601")))).isFalse();
        assertThat(Database.unavailable(wrapped(new SQLException("no state")))).isFalse();
        assertThat(Database.unavailable(new IllegalStateException("not SQL at all"))).isFalse();
    }
}
