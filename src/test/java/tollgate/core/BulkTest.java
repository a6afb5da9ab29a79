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

    private long count(String like) {
        return db.dsl().fetchOne("select count(*) from bulk_rows where id like ?", like).get(0, Long.class);
    }

    private static List<Object[]> rows(String prefix, int n) {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) rows.add(new Object[] {prefix + String.format("%03d", i), "row " + i, Instant.EPOCH.plusSeconds(i), (long) i, i % 2 == 0});
        return rows;
    }

    @Test
    void insertRowsWritesEveryRowInStatementsOfAtMostTheLimitAndCountsThem() {
        long before = db.statementsWritten();
        int inserted = db.tx(tx -> Bulk.insertRows(tx, "insert into bulk_rows (id, body, at, n, flag) values", "(?, ?, ?, ?, ?)", "",
                rows("r-", Bulk.ROWS_PER_STATEMENT + 5)));
        assertThat(inserted).isEqualTo(Bulk.ROWS_PER_STATEMENT + 5);
        assertThat(count("r-%")).isEqualTo(Bulk.ROWS_PER_STATEMENT + 5);
        assertThat(db.statementsWritten() - before).as("two statements, counted as writes").isEqualTo(2);
        Record r = db.dsl().fetchOne("select body, at, n, flag from bulk_rows where id = 'r-003'");
        assertThat(r.get("body", String.class)).isEqualTo("row 3");
        assertThat(r.get("at", Instant.class)).isEqualTo(Instant.EPOCH.plusSeconds(3));
        assertThat(r.get("n", Long.class)).isEqualTo(3L);
        assertThat(r.get("flag", Boolean.class)).isFalse();
        // A tail such as "on conflict do nothing" counts only the rows inserted.
        int again = db.tx(tx -> Bulk.insertRows(tx, "insert into bulk_rows (id, body, at, n, flag) values", "(?, ?, ?, ?, ?)",
                "on conflict do nothing", rows("r-", 3)));
        assertThat(again).isZero();
    }

    @Test
    void deferredWritesAreSentTogetherBeforeTheWorkReturnsWithTheirCountsInOrder() {
        boolean postgres = db.dialect() == org.jooq.SQLDialect.POSTGRES;
        int[] sent = db.inOne(tx -> db.deferringWrites(() -> {
            int first = Bulk.insertRows(tx, "insert into bulk_rows (id, body, at, n, flag) values", "(?, ?, ?, ?, ?)", "", rows("d-", 3));
            int second = Bulk.write(tx, "insert into bulk_rows (id, body, at, n, flag) values (?, ?, ?, ?, ?) on conflict do nothing",
                    "d-000", "taken", null, null, null);
            // On PostgreSQL both wait to be sent (nothing is written yet); elsewhere they ran in place.
            assertThat(first).isEqualTo(postgres ? -1 : 3);
            assertThat(second).isEqualTo(postgres ? -1 : 0);
            assertThat(tx.fetchOne("select count(*) from bulk_rows where id like 'd-%'").get(0, Long.class)).isEqualTo(postgres ? 0L : 3L);
            int[] counts = db.sendDeferred(tx);
            assertThat(tx.fetchOne("select count(*) from bulk_rows where id like 'd-%'").get(0, Long.class)).isEqualTo(3L);
            return counts;
        }));
        assertThat(sent).containsExactly(postgres ? new int[] {3, 0} : new int[0]);
        assertThat(count("d-%")).isEqualTo(3);
    }

    @Test
    void deferredWritesNeverSentFailTheTransactionAndLeaveNothing() {
        java.util.function.Supplier<Object> forgetful = () -> db.inOne(tx -> db.deferringWrites(() -> {
            Bulk.insertRows(tx, "insert into bulk_rows (id, body, at, n, flag) values", "(?, ?, ?, ?, ?)", "", rows("u-", 2));
            return null;
        }));
        if (db.dialect() == org.jooq.SQLDialect.POSTGRES) {
            assertThatThrownBy(forgetful::get).isInstanceOf(IllegalStateException.class);
            assertThat(count("u-%")).isZero();
        } else {
            forgetful.get(); // H2 defers nothing: the rows went in place
            assertThat(count("u-%")).isEqualTo(2);
        }
        assertThatThrownBy(() -> db.deferringWrites(() -> null)).as("only inside the one transaction").isInstanceOf(IllegalStateException.class);
    }
}
