package tollgate.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jooq.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.TestDatabase;

/** Bulk inserts (COPY on PostgreSQL) write exactly what a plain insert would, whatever the text holds. */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class BulkTest {
    @Parameter
    TestDatabase database;
    Database db;

    @BeforeEach
    void open() {
        db = Database.open(database.freshUrl(), null, null, 2);
        db.dsl().execute("create table bulk_rows (id varchar(40) primary key, body varchar(500), at timestamp with time zone, "
                + "n bigint, flag boolean)");
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void textWithTabsNewlinesBackslashesAndNonAsciiComesBackAsItWasWritten() {
        Instant at = Instant.parse("2026-12-01T00:00:00.123Z");
        String json = "{\"text\":\"a \\\"quote\\\" and a back\\\\slash — …\"}\ttab\nline";
        List<Object[]> kinds = List.of(
                new Object[] {"a", "tab\there, newline\nhere, return\rhere", at, 1L, true},
                new Object[] {"b", "back\\slash \\N and \\t as text", at.plusSeconds(1), -7L, false},
                new Object[] {"c", "Bench license — license …ABCDE (https://x.example), 30 of 30 days", null, null, null},
                new Object[] {"d", "", Instant.parse("1999-12-31T23:59:59Z"), Long.MAX_VALUE, true},
                new Object[] {"e", new Bulk.Utf8(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)), null, 0L, false});
        // A few rows go as prepared inserts, COPY_FROM_ROWS or more as a COPY on PostgreSQL (decision 060): both alike.
        for (int n : new int[] {kinds.size(), Bulk.COPY_FROM_ROWS}) {
            List<Object[]> rows = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Object[] row = kinds.get(i % kinds.size()).clone();
                row[0] = n + "-" + String.format("%02d", i);
                rows.add(row);
            }
            db.tx(tx -> {
                Bulk.insert(tx, "bulk_rows", List.of("id", "body", "at", "n", "flag"), rows);
                return null;
            });
            List<Record> read = db.dsl().fetch("select id, body, at, n, flag from bulk_rows where id like ? order by id", n + "-%");
            assertThat(read).hasSize(n);
            for (int i = 0; i < rows.size(); i++) {
                Object[] want = rows.get(i);
                Record got = read.get(i);
                assertThat(got.get("id", String.class)).isEqualTo(want[0]);
                assertThat(got.get("body", String.class)).isEqualTo(want[1] instanceof Bulk.Utf8 u ? u.toString() : want[1]);
                assertThat(got.get("at", Instant.class)).isEqualTo(want[2]);
                assertThat(got.get("n", Long.class)).isEqualTo(want[3]);
                assertThat(got.get("flag", Boolean.class)).isEqualTo(want[4]);
            }
        }
    }

    @Test
    void aFailedBulkInsertRollsBackWithItsTransaction() {
        List<Object[]> rows = List.of(new Object[] {"a", "x", null, 1L, true}, new Object[] {"a", "duplicate", null, 2L, false});
        assertThatThrownBy(() -> db.tx(tx -> {
            tx.execute("insert into bulk_rows (id, body) values ('z', 'before')");
            Bulk.insert(tx, "bulk_rows", List.of("id", "body", "at", "n", "flag"), rows);
            return null;
        })).isInstanceOf(RuntimeException.class);
        assertThat(db.dsl().fetchCount(db.dsl().selectFrom("bulk_rows"))).isZero();
    }

    @Test
    void manyRowsGoThroughInChunks() {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 5000; i++) rows.add(new Object[] {"row-" + i, "x".repeat(i % 200), null, (long) i, i % 2 == 0});
        db.tx(tx -> {
            Bulk.insert(tx, "bulk_rows", List.of("id", "body", "at", "n", "flag"), rows);
            return null;
        });
        Record totals = db.dsl().fetchOne("select count(*), sum(n) from bulk_rows");
        assertThat(totals.get(0, Long.class)).isEqualTo(5000L);
        assertThat(totals.get(1, Long.class)).isEqualTo(12_497_500L);
    }
}
