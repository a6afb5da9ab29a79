package db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Finds a check constraint an early migration left unnamed, which each database names its own way
 * ({@code invoices_check1} on PostgreSQL, {@code CONSTRAINT_…} on H2): by its clause, in the standard information schema
 * of the current schema. Not a migration itself: the Java migrations that replace such a check use it.
 */
final class UnnamedChecks {
    private UnnamedChecks() {}

    /** The one check on {@code table} whose clause (lower-case) {@code matches}; refuses none or several. */
    static String find(Connection c, String table, Predicate<String> matches) throws SQLException {
        List<String> found = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("select tc.constraint_name, cc.check_clause "
                + "from information_schema.table_constraints tc join information_schema.check_constraints cc "
                + "on cc.constraint_schema = tc.constraint_schema and cc.constraint_name = tc.constraint_name "
                + "where lower(tc.table_name) = ? and tc.constraint_type = 'CHECK' "
                + "and lower(tc.table_schema) = lower(current_schema())")) {
            s.setString(1, table);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) if (matches.test(r.getString(2).toLowerCase(Locale.ROOT))) found.add(r.getString(1));
            }
        }
        if (found.size() != 1) throw new IllegalStateException("expected one such check on " + table + ", found " + found);
        return found.getFirst();
    }
}
