package tollgate.core;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.exception.DataAccessException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

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
        tx.connection(c -> batch(c, sql, rows));
    }

    /**
     * Plain inserts of many rows into {@code table}: PostgreSQL's {@code COPY} (one stream of text rows, no statement
     * to parse, plan or bind per row — the billing run writes a million invoice lines this way), a JDBC batch on H2.
     * Values are Strings, numbers, Booleans, Instants or null; the insert takes part in the caller's transaction.
     */
    public static void insert(DSLContext tx, String table, List<String> columns, List<Object[]> rows) {
        if (rows.isEmpty()) return;
        String cols = String.join(", ", columns);
        if (tx.dialect().family() != SQLDialect.POSTGRES) {
            run(tx, "insert into " + table + " (" + cols + ") values (" + Sql.placeholders(columns.size()) + ")", rows);
            return;
        }
        tx.connection(c -> copy(c, "copy " + table + " (" + cols + ") from stdin", rows));
    }

    private static void batch(Connection c, String sql, List<Object[]> rows) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) bind(ps, i + 1, row[i]);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new DataAccessException("bulk statement failed: " + sql, e);
        }
    }

    private static void copy(Connection c, String sql, List<Object[]> rows) throws SQLException {
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        try {
            CopyText text = new CopyText();
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    if (i > 0) text.put((byte) '\t');
                    text.value(row[i]);
                }
                text.put((byte) '\n');
                if (text.size >= 60 * 1024) {
                    in.writeToCopy(text.bytes, 0, text.size);
                    text.size = 0;
                }
            }
            if (text.size > 0) in.writeToCopy(text.bytes, 0, text.size);
            in.endCopy();
        } catch (SQLException e) {
            if (in.isActive()) in.cancelCopy();
            throw new DataAccessException("copy failed: " + sql, e);
        }
    }

    /** Rows in COPY's text format, as UTF-8 bytes: {@code \N} for null, backslash escapes for the characters that delimit. */
    static final class CopyText {
        byte[] bytes = new byte[64 * 1024 + 4096];
        int size;
        // Rows of one batch share most instants (billing date, period, creation): each is formatted once.
        private final java.util.Map<Instant, byte[]> instants = new java.util.HashMap<>();

        void value(Object value) {
            switch (value) {
                case null -> put(NULL);
                case String s -> put(escaped(s).getBytes(StandardCharsets.UTF_8));
                case Utf8 text -> putEscaped(text.bytes());
                case Instant instant -> {
                    if (instants.size() > 64) instants.clear();
                    put(instants.computeIfAbsent(instant, i -> i.toString().getBytes(StandardCharsets.US_ASCII)));
                }
                case Boolean b -> put((byte) (b ? 't' : 'f'));
                case Long n -> put(Long.toString(n).getBytes(StandardCharsets.US_ASCII));
                case Integer n -> put(Integer.toString(n).getBytes(StandardCharsets.US_ASCII));
                default -> throw new IllegalArgumentException("no COPY text for " + value.getClass());
            }
        }

        private static String escaped(String s) {
            if (s.indexOf('\\') < 0 && s.indexOf('\t') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
            return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
        }

        /** UTF-8 text as it is, but for COPY's escapes (the bytes escaped are ASCII, never inside a multi-byte character). */
        private void putEscaped(byte[] b) {
            ensure(2 * b.length);
            for (byte x : b) {
                switch (x) {
                    case '\\' -> { bytes[size++] = '\\'; bytes[size++] = '\\'; }
                    case '\t' -> { bytes[size++] = '\\'; bytes[size++] = 't'; }
                    case '\n' -> { bytes[size++] = '\\'; bytes[size++] = 'n'; }
                    case '\r' -> { bytes[size++] = '\\'; bytes[size++] = 'r'; }
                    default -> bytes[size++] = x;
                }
            }
        }

        private void put(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, bytes, size, b.length);
            size += b.length;
        }

        void put(byte b) {
            ensure(1);
            bytes[size++] = b;
        }

        private void ensure(int more) {
            if (size + more > bytes.length) bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }

        String text() {
            return new String(bytes, 0, size, StandardCharsets.UTF_8);
        }

        private static final byte[] NULL = {'\\', 'N'};
    }

    /**
     * A text value already encoded as UTF-8 (JSON written straight to bytes): COPY sends the bytes, a JDBC batch binds
     * the string they encode.
     */
    public record Utf8(byte[] bytes) {
        @Override
        public String toString() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static void bind(PreparedStatement ps, int index, Object value) throws SQLException {
        if (value == null) ps.setNull(index, Types.NULL);
        else if (value instanceof Utf8 text) ps.setString(index, text.toString());
        else if (value instanceof Instant instant) ps.setObject(index, instant.atOffset(ZoneOffset.UTC));
        else ps.setObject(index, value);
    }
}
