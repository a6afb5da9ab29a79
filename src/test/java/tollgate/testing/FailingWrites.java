package tollgate.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Predicate;
import tollgate.core.Database;

/**
 * While open, the rows written to a table that match a condition fail with a chosen SQLSTATE, as the database would
 * fail them (a deadlock victim, a server shutting down): a trigger, dropped on close. PostgreSQL's is a function with
 * the condition on {@code new}; H2's is {@link Trigger}, told the same condition as a predicate on the new row.
 */
public final class FailingWrites implements AutoCloseable {
    private final Database db;
    private final TestDatabase database;
    private final String table;

    private FailingWrites(Database db, TestDatabase database, String table) {
        this.db = db;
        this.database = database;
        this.table = table;
    }

    /**
     * Writing a tenant's kept {@code Idempotency-Key} answer (its row written as 'done') fails as a database shutting down
     * does (57P01): the database "goes away" at the last moment of a request whose answer is kept with its work.
     */
    public static FailingWrites keptAnswers(Database db, TestDatabase database, String tenantId) throws SQLException {
        // idempotency_keys: tenant_id, idem_key, request_hash, state, …
        return on(db, database, "idempotency_keys", true, "new.tenant_id = '" + tenantId + "' and new.state = 'done'",
                row -> tenantId.equals(row[0]) && "done".equals(row[3]), "57P01");
    }

    /**
     * From now on inserts into {@code table} (and updates, with {@code updatesToo}) for which {@code postgresCondition}
     * (SQL on {@code new}) or, on H2, {@code h2Condition} (on the new row's values in column order) holds fail with
     * {@code sqlState}.
     */
    public static FailingWrites on(Database db, TestDatabase database, String table, boolean updatesToo, String postgresCondition,
                                   Predicate<Object[]> h2Condition, String sqlState) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            if (database == TestDatabase.H2) {
                Trigger.condition = h2Condition;
                Trigger.sqlState = sqlState;
                s.execute("create trigger failing_writes before insert" + (updatesToo ? ", update" : "") + " on " + table
                        + " for each row call '" + Trigger.class.getName() + "'");
            } else {
                s.execute("create function failing_writes() returns trigger language plpgsql as $$ begin if " + postgresCondition
                        + " then raise exception 'the write failed (forced by a test)' using errcode = '" + sqlState + "'; end if; "
                        + "return new; end $$");
                s.execute("create trigger failing_writes before insert" + (updatesToo ? " or update" : "") + " on " + table
                        + " for each row execute function failing_writes()");
            }
        }
        return new FailingWrites(db, database, table);
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            if (database == TestDatabase.H2) {
                s.execute("drop trigger failing_writes");
            } else {
                s.execute("drop trigger failing_writes on " + table);
                s.execute("drop function failing_writes()");
            }
        }
    }

    /** H2's triggers are Java classes: this one fails the rows its condition holds for. */
    public static final class Trigger implements org.h2.api.Trigger {
        static volatile Predicate<Object[]> condition;
        static volatile String sqlState;

        @Override
        public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before, int type) {}

        @Override
        public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
            if (condition.test(newRow)) throw new SQLException("the write failed (forced by a test)", sqlState);
        }
    }
}
