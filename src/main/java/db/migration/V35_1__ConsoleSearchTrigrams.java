package db.migration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The console's account search looks for text anywhere in names, emails and site URLs, any case ({@code lower(x) like
 * '%text%'}), which no B-tree index answers: at 100,000 accounts every search read every account and license of the
 * tenant (decision 050). On PostgreSQL, trigram GIN indexes of those lower-cased columns (the {@code pg_trgm}
 * extension, shipped with PostgreSQL and trusted: a database owner may create it) answer such a pattern of three
 * characters or more. H2 has neither expression indexes nor trigrams: there the search still reads the rows, and the
 * same queries give the same answers either way. Where the extension cannot be created (no privilege, a server built
 * without contrib), nothing is made and the search reads the rows as before; a later migration may try again.
 */
public class V35_1__ConsoleSearchTrigrams extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        if (!"PostgreSQL".equals(c.getMetaData().getDatabaseProductName())) return;
        String schema = trigramSchema(c);
        if (schema == null) {
            // In public, never in the tenant's schema: dropping a schema must not drop an extension others use.
            Savepoint before = c.getAutoCommit() ? null : c.setSavepoint();
            try (Statement s = c.createStatement()) {
                s.execute("create extension if not exists pg_trgm schema public");
                if (before != null) c.releaseSavepoint(before);
            } catch (SQLException e) {
                if (before != null) c.rollback(before);
            }
            schema = trigramSchema(c);
            if (schema == null) return;
        }
        String ops = "\"" + schema.replace("\"", "\"\"") + "\".gin_trgm_ops";
        try (Statement s = c.createStatement()) {
            s.execute("create index accounts_name_trgm on accounts using gin (lower(name) " + ops + ")");
            s.execute("create index accounts_email_trgm on accounts using gin (lower(email) " + ops + ")");
            s.execute("create index licenses_site_trgm on licenses using gin (lower(site_url) " + ops + ")");
        }
    }

    /** The schema pg_trgm is installed in, or null when it is not (one install serves the whole database). */
    private static String trigramSchema(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select n.nspname from pg_extension e join pg_namespace n on n.oid = e.extnamespace "
                     + "where e.extname = 'pg_trgm'")) {
            return r.next() ? r.getString(1) : null;
        }
    }
}
