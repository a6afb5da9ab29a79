package tollgate.core;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;

/**
 * One prepared statement run for many rows as a JDBC batch, on the transaction's connection. For the few places
 * that write thousands of rows at once (the billing run's invoices, lines, events and timeline rows): jOOQ's
 * per-value binding cost more CPU there than PostgreSQL's work. Instants are bound as UTC OffsetDateTime,
 * which both drivers take for {@code timestamp with time zone}.
 */
public final class Bulk {
    private Bulk() {}

    public static void run(DSLContext tx, String sql, List<Object[]> rows) {
        if (rows.isEmpty()) return;
        tx.connection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (Object[] row : rows) {
                    for (int i = 0; i < row.length; i++) bind(ps, i + 1, row[i]);
                    ps.addBatch();
                }
                ps.executeBatch();
            } catch (SQLException e) {
                throw new DataAccessException("bulk statement failed: " + sql, e);
            }
        });
    }

    private static void bind(PreparedStatement ps, int index, Object value) throws SQLException {
        if (value == null) ps.setNull(index, Types.NULL);
        else if (value instanceof Instant instant) ps.setObject(index, instant.atOffset(ZoneOffset.UTC));
        else ps.setObject(index, value);
    }
}
