package tollgate.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import tollgate.core.Database;

/**
 * While open, writing a tenant's kept {@code Idempotency-Key} answer (its row written as 'done') fails as a database
 * shutting down does (SQLSTATE 57P01): the database "goes away" at the last moment of a request whose answer is kept
 * with its work (decision 055). A trigger on {@code idempotency_keys}, dropped on close.
 */
public final class KeptAnswersGone implements AutoCloseable {
    private final Database db;
    private final TestDatabase database;

    private KeptAnswersGone(Database db, TestDatabase database) {
        this.db = db;
        this.database = database;
    }

    public static KeptAnswersGone forTenant(Database db, TestDatabase database, String tenantId) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            if (database == TestDatabase.H2) {
                Trigger.tenant = tenantId;
                s.execute("create trigger gone_at_the_end before insert, update on idempotency_keys for each row call '"
                        + Trigger.class.getName() + "'");
            } else {
                s.execute("create function gone_at_the_end() returns trigger language plpgsql as $$ begin "
                        + "if new.tenant_id = tg_argv[0] and new.state = 'done' then "
                        + "raise exception 'the database went away (forced by a test)' using errcode = '57P01'; end if; "
                        + "return new; end $$");
                s.execute("create trigger gone_at_the_end before insert or update on idempotency_keys for each row "
                        + "execute function gone_at_the_end('" + tenantId + "')");
            }
        }
        return new KeptAnswersGone(db, database);
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            if (database == TestDatabase.H2) {
                s.execute("drop trigger gone_at_the_end");
            } else {
                s.execute("drop trigger gone_at_the_end on idempotency_keys");
                s.execute("drop function gone_at_the_end()");
            }
        }
    }

    /** H2's triggers are Java classes: this one fails the chosen tenant's kept answers. */
    public static final class Trigger implements org.h2.api.Trigger {
        static volatile String tenant;

        @Override
        public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before, int type) {}

        @Override
        public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
            // idempotency_keys: tenant_id, idem_key, request_hash, state, …
            if (tenant.equals(newRow[0]) && "done".equals(newRow[3]))
                throw new SQLException("the database went away (forced by a test)", "57P01");
        }
    }
}
