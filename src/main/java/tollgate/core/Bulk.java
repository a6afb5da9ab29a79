package tollgate.core;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
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

    /** Answers each row's update count, in order (inserts on PostgreSQL may answer {@link java.sql.Statement#SUCCESS_NO_INFO}). */
    public static int[] run(DSLContext tx, String sql, List<Object[]> rows) {
        if (rows.isEmpty()) return new int[0];
        int[][] counts = new int[1][];
        tx.connection(c -> counts[0] = batch(tx, c, sql, rows));
        counted(tx, 1);
        return counts[0];
    }

    /** Where a {@link Database}'s configuration names it: Bulk's statements count as its writes, and it may defer them. */
    static final String DATABASE = "tollgate.database";

    private static void counted(DSLContext tx, int statements) {
        if (tx.configuration().data(DATABASE) instanceof Database db) db.countWrites(statements);
    }

    /**
     * Whether writes through {@code Bulk} on this transaction are being kept back ({@link Database#deferringWrites}): a
     * store whose rows must keep the order they were made in (events number themselves as they are inserted) then sends
     * them all this way, none in place.
     */
    public static boolean deferring(DSLContext tx) {
        return tx.configuration().data(DATABASE) instanceof Database db && db.deferring();
    }

    /**
     * {@link Database#planned} for a statement made on {@code tx}'s connection past jOOQ (an insert, or a statement
     * declared {@link Database#byKey}, may be prepared on the server).
     */
    public static void planned(DSLContext tx, java.sql.Statement statement, String sql) {
        if (tx.configuration().data(DATABASE) instanceof Database db) db.planned(statement, sql);
    }

    /** Whether the write was kept back by {@link Database#deferringWrites} (to be sent with others), rather than run. */
    private static boolean deferred(DSLContext tx, String sql, Object[] values) {
        return tx.configuration().data(DATABASE) instanceof Database db && db.defer(sql, values);
    }

    /**
     * One write straight through JDBC (values as {@link #insert} takes them, arrays too); kept back inside
     * {@link Database#deferringWrites}. Answers its update count, or -1 when kept back.
     */
    public static int write(DSLContext tx, String sql, Object... values) {
        if (deferred(tx, sql, values)) return -1;
        int[] count = {0};
        tx.connection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                planned(tx, ps, sql);
                for (int i = 0; i < values.length; i++) bind(ps, i + 1, values[i]);
                count[0] = ps.executeUpdate();
            } catch (SQLException e) {
                throw new DataAccessException("bulk statement failed: " + sql, e);
            }
        });
        counted(tx, 1);
        return count[0];
    }

    /**
     * {@link Database#sendDeferred}: the statements ({@code {sql, values}} each) as one multi-statement text with every
     * value bound, which the PostgreSQL driver sends in one round trip; their update counts in order.
     */
    static int[] sendAll(DSLContext tx, List<Object[]> statements) {
        // The driver counts a text's values together, and takes at most 65,535: a longer run goes as several texts.
        List<Integer> counts = new ArrayList<>(statements.size());
        int from = 0;
        int values = 0;
        for (int i = 0; i < statements.size(); i++) {
            int more = ((Object[]) statements.get(i)[1]).length;
            if (i > from && values + more > MOST_VALUES_SENT) {
                counts.addAll(sendText(tx, statements.subList(from, i)));
                from = i;
                values = 0;
            }
            values += more;
        }
        counts.addAll(sendText(tx, statements.subList(from, statements.size())));
        return counts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Values bound in one text of {@link #sendAll}: well under the driver's 65,535. */
    static final int MOST_VALUES_SENT = 30_000;

    private static List<Integer> sendText(DSLContext tx, List<Object[]> statements) {
        StringBuilder sql = new StringBuilder();
        List<Object> values = new ArrayList<>();
        for (Object[] s : statements) {
            sql.append(sql.isEmpty() ? "" : ";\n").append((String) s[0]);
            values.addAll(java.util.Arrays.asList((Object[]) s[1]));
        }
        // Prepared on the server only when every statement of the text is an insert (decision 074).
        boolean inserts = statements.stream().allMatch(s -> Database.isInsert((String) s[0]));
        String text = sql.toString();
        List<Integer> counts = new ArrayList<>(statements.size());
        tx.connection(c -> {
            try (PreparedStatement ps = c.prepareStatement(text)) {
                if (inserts && tx.configuration().data(DATABASE) instanceof Database db) db.preparedOnServer(ps);
                for (int i = 0; i < values.size(); i++) bind(ps, i + 1, values.get(i));
                boolean rows = ps.execute();
                while (true) {
                    if (!rows) {
                        int count = ps.getUpdateCount();
                        if (count == -1) break;
                        counts.add(count);
                    }
                    rows = ps.getMoreResults();
                }
            } catch (SQLException e) {
                throw new DataAccessException("deferred statements failed: " + text, e);
            }
        });
        counted(tx, statements.size());
        if (counts.size() != statements.size())
            throw new IllegalStateException(statements.size() + " deferred statements answered " + counts.size() + " counts");
        return counts;
    }

    /** The most rows {@link #insertRows} puts in one statement. */
    static final int ROWS_PER_STATEMENT = 256;

    /**
     * Inserts {@code rows} as multi-row statements, {@code head} ({@code insert into t (a, b) values}) then one
     * {@code tuple} ({@code (?, nextval('s'))}, a {@code ?} per value of a row) per row, then {@code tail} (say
     * {@code on conflict do nothing}): up to {@link #ROWS_PER_STATEMENT} rows a statement, each statement one round
     * trip. (A JDBC batch the driver rewrites goes as one statement per power of two in its count: 5 rows, 4 + 1.) For
     * the rows of requests run together (decision 068); answers how many rows were inserted, or -1 when
     * {@link Database#deferringWrites} kept them back.
     */
    public static int insertRows(DSLContext tx, String head, String tuple, String tail, List<Object[]> rows) {
        int inserted = 0;
        for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
            List<Object[]> part = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT));
            StringBuilder sql = new StringBuilder(head.length() + part.size() * (tuple.length() + 2) + tail.length() + 2).append(head).append(' ');
            for (int i = 0; i < part.size(); i++) sql.append(i == 0 ? "" : ", ").append(tuple);
            if (!tail.isEmpty()) sql.append(' ').append(tail);
            Object[] values = new Object[part.size() * part.getFirst().length];
            int at = 0;
            for (Object[] row : part)
                for (Object value : row) values[at++] = value;
            int count = write(tx, sql.toString(), values);
            inserted = count < 0 || inserted < 0 ? -1 : inserted + count;
        }
        return inserted;
    }

    /**
     * Up to this many rows go as one prepared insert per row in a JDBC batch, not a {@code COPY}: a COPY is two round
     * trips and a statement PostgreSQL parses and plans each time, which for the one invoice, line or e-mail an API
     * request writes cost 2–3 ms of the backend's time against ~0.2 ms for a prepared insert (decision 060).
     */
    static final int COPY_FROM_ROWS = 16;

    /**
     * Plain inserts of many rows into {@code table}: PostgreSQL's binary {@code COPY} (one stream of rows, no statement
     * to parse, plan or bind per row — the billing run writes a million invoice lines this way), a JDBC batch on H2
     * and for fewer than {@link #COPY_FROM_ROWS} rows.
     * Values are Strings, {@link Utf8}, Longs (bigint), Integers (integer), Booleans, Instants or null, each of its
     * column's type; the insert takes part in the caller's transaction.
     */
    public static void insert(DSLContext tx, String table, List<String> columns, List<Object[]> rows) {
        if (rows.isEmpty()) return;
        String cols = String.join(", ", columns);
        if (tx.dialect().family() != SQLDialect.POSTGRES || rows.size() < COPY_FROM_ROWS) {
            run(tx, "insert into " + table + " (" + cols + ") values (" + Sql.placeholders(columns.size()) + ")", rows);
            return;
        }
        tx.connection(c -> copy(c, "copy " + table + " (" + cols + ") from stdin", rows));
        counted(tx, 1);
    }

    private static int[] batch(DSLContext tx, Connection c, String sql, List<Object[]> rows) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            planned(tx, ps, sql);
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) bind(ps, i + 1, row[i]);
                ps.addBatch();
            }
            return ps.executeBatch();
        } catch (SQLException e) {
            throw new DataAccessException("bulk statement failed: " + sql, e);
        }
    }

    private static void copy(Connection c, String sql, List<Object[]> rows) throws SQLException {
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql + " with (format binary)");
        try {
            CopyBinary out = new CopyBinary();
            out.header();
            for (Object[] row : rows) {
                out.row(row);
                if (out.size >= 60 * 1024) {
                    in.writeToCopy(out.bytes, 0, out.size);
                    out.size = 0;
                }
            }
            out.trailer();
            in.writeToCopy(out.bytes, 0, out.size);
            in.endCopy();
        } catch (SQLException e) {
            if (in.isActive()) in.cancelCopy();
            throw new DataAccessException("copy failed: " + sql, e);
        }
    }

    /**
     * Rows in COPY's binary format: no text for PostgreSQL to parse (timestamps were the dearest) and none to escape.
     * Each value goes as the column's binary form, so its Java type must match the column: String or {@link Utf8} for
     * text, Long for bigint, Integer for integer, Boolean, Instant for timestamp with time zone.
     */
    static final class CopyBinary {
        private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
        /** Microseconds from the Unix epoch to PostgreSQL's, 2000-01-01. */
        private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;

        byte[] bytes = new byte[64 * 1024 + 4096];
        int size;

        void header() {
            put(SIGNATURE, 0, SIGNATURE.length);
            int4(0); // flags
            int4(0); // header extension length
        }

        void trailer() {
            int2(-1);
        }

        void row(Object[] row) {
            int2(row.length);
            for (Object value : row) value(value);
        }

        private void value(Object value) {
            switch (value) {
                case null -> int4(-1);
                case String s -> field(s.getBytes(StandardCharsets.UTF_8));
                case Utf8 text -> field(text.bytes());
                case Long n -> {
                    int4(8);
                    int8(n);
                }
                case Integer n -> {
                    int4(4);
                    int4(n);
                }
                case Boolean b -> {
                    int4(1);
                    ensure(1);
                    bytes[size++] = (byte) (b ? 1 : 0);
                }
                case Instant t -> {
                    int4(8);
                    int8(Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000) - POSTGRES_EPOCH_MICROS);
                }
                default -> throw new IllegalArgumentException("no COPY binary form for " + value.getClass());
            }
        }

        private void field(byte[] b) {
            int4(b.length);
            put(b, 0, b.length);
        }

        private void put(byte[] b, int from, int length) {
            ensure(length);
            System.arraycopy(b, from, bytes, size, length);
            size += length;
        }

        private void int2(int v) {
            ensure(2);
            bytes[size++] = (byte) (v >>> 8);
            bytes[size++] = (byte) v;
        }

        private void int4(int v) {
            ensure(4);
            for (int shift = 24; shift >= 0; shift -= 8) bytes[size++] = (byte) (v >>> shift);
        }

        private void int8(long v) {
            ensure(8);
            for (int shift = 56; shift >= 0; shift -= 8) bytes[size++] = (byte) (v >>> shift);
        }

        private void ensure(int more) {
            if (size + more > bytes.length) bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
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
