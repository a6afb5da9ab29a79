package tollgate.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.TestDatabase;

/**
 * Decision 059: a table filled since its last ANALYZE (a month-end's invoice lines) is analyzed by the live worker's
 * {@link Database#keepStatistics} once it has changed by 1,000 rows (decision 067) and by as many as it had; a table
 * that grew less is left alone. On H2 nothing is done.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class KeepStatisticsTest {
    @Parameter
    TestDatabase database;

    @Test
    void aTableThatDoubledIsAnalyzedAndOneThatGrewLittleIsNot() throws Exception {
        try (Database db = Database.open(database.freshUrl(), null, null, 2)) {
            db.dsl().execute("create table grown (id bigint primary key, invoice_id varchar(40) not null)");
            if (database == TestDatabase.H2) {
                assertThat(db.analyzeWhatGrew()).isEmpty();
                return;
            }
            // 900 rows, under the 1,000 floor: left alone.
            db.dsl().execute("insert into grown select g, 'inv_' || (g / 10) from " + series(900));
            awaitCounted(db, 900);
            assertThat(db.analyzeWhatGrew()).isEmpty();
            db.dsl().execute("insert into grown select g, 'inv_' || (g / 10) from generate_series(901, 25000) g");
            awaitCounted(db, 25_000);
            long writes = db.statementsWritten();
            assertThat(db.analyzeWhatGrew()).containsExactly("grown");
            assertThat(db.statementsWritten()).as("ANALYZE is upkeep, not a write of Tollgate's").isEqualTo(writes);
            long rows = db.dsl().fetchOne("select reltuples::bigint from pg_class where oid = 'grown'::regclass").get(0, Long.class);
            assertThat(rows).isEqualTo(25_000);
            // With statistics the planner takes the index for a few invoices' rows instead of reading the table.
            db.dsl().execute("create index grown_invoice on grown (invoice_id)");
            String plan = db.dsl().fetch("explain select * from grown where invoice_id in ('inv_1', 'inv_2', 'inv_3')").toString();
            assertThat(plan).contains("grown_invoice").doesNotContain("Seq Scan");

            // 12,000 more: past the 1,000 floor but not as many as it had (25,000): left alone.
            db.dsl().execute("insert into grown select g + 100000, 'inv_x' from " + series(12_000));
            awaitCounted(db, 12_000);
            assertThat(db.analyzeWhatGrew()).isEmpty();
        }
    }

    private static String series(int n) {
        return "generate_series(1, " + n + ") g";
    }

    /** PostgreSQL counts a transaction's changes when its backend flushes its statistics (about each second). */
    private static void awaitCounted(Database db, long changes) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            Long counted = db.dsl().fetchOne("select n_mod_since_analyze from pg_stat_user_tables where relid = 'grown'::regclass")
                    .get(0, Long.class);
            if (counted != null && counted >= changes) return;
            Thread.sleep(100);
        }
        throw new AssertionError("PostgreSQL did not count " + changes + " changes of 'grown' within 10 s");
    }
}
