package tollgate.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.TestDatabase;

/**
 * Decision 074: statements run often are prepared on the server, and PostgreSQL may keep one generic plan for them. A
 * plan made while a table was young must not outlive the table's growth (decision 059's quadratic billing run): once
 * {@link Database#analyzeWhatGrew} has analyzed the grown table, the same prepared statements, on the same connection,
 * read it through its index. On H2 the statements just answer.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class PreparedPlansTest {
    @Parameter
    TestDatabase database;

    private static final String ONE = "select name from young where tenant_id = ? and id = ?";
    private static final String SOME = "select name from young where tenant_id = ? and id in (?, ?, ?) order by id";

    @Test
    void aStatementPreparedOnAYoungTableReadsItThroughTheIndexOnceItGrewAndWasAnalyzed() throws Exception {
        // One connection: the statements prepared on it are the ones looked at.
        String url = database.freshUrl();
        try (Database db = Database.open(url, null, null, 1)) {
            db.dsl().execute("create table young (tenant_id varchar(40) not null, id varchar(40) not null, name varchar(200) not null, "
                    + "primary key (tenant_id, id))");
            db.dsl().execute(rows(1, 20));
            // Analyzed while young, as a new deployment's tables are: 20 rows on one page, read whole more cheaply than
            // through an index.
            if (database == TestDatabase.POSTGRES) db.dsl().execute("analyze young");
            db.tx(tx -> {
                for (int i = 0; i < 10; i++) lookUp(tx, i + 1);
                return null;
            });
            if (database == TestDatabase.POSTGRES) {
                List<String> prepared = db.tx(tx -> tx.fetch("select statement from pg_prepared_statements where generic_plans > 0")
                        .getValues(0, String.class));
                assertThat(prepared).as("run ten times, both lookups are prepared on the server and planned once")
                        .anySatisfy(s -> assertThat(s).contains("and id = $2"))
                        .anySatisfy(s -> assertThat(s).contains("and id in ($2, $3, $4)"));
                assertThat(plans(db).values()).as("planned while the table is young").allSatisfy(p -> assertThat(p).contains("Seq Scan"));
            }

            db.dsl().execute(rows(21, 40_000));
            if (database == TestDatabase.POSTGRES) {
                awaitCounted(db, 39_980);
                assertThat(db.analyzeWhatGrew()).contains("young");
            }
            db.tx(tx -> {
                for (int i = 0; i < 10; i++) lookUp(tx, 30_000 + i);
                return null;
            });
            if (database == TestDatabase.POSTGRES) {
                var plans = plans(db);
                assertThat(plans).hasSize(2);
                assertThat(plans.values()).as("planned again once the grown table was analyzed")
                        .allSatisfy(p -> assertThat(p).contains("young_pkey").doesNotContain("Seq Scan"));
            }
        }
        if (database == TestDatabase.H2) return;
        // Behind a pooler that cannot keep prepared statements (README): the URL's prepareThreshold=0 is obeyed.
        try (Database db = Database.open(url + "&prepareThreshold=0", null, null, 1)) {
            db.tx(tx -> {
                for (int i = 0; i < 10; i++) lookUp(tx, i + 1);
                assertThat(tx.fetchOne("select count(*) from pg_prepared_statements").get(0, Integer.class)).isZero();
                return null;
            });
        }
    }

    /** The plans PostgreSQL would now run for the two lookups prepared on the pool's one connection, by statement. */
    private static java.util.Map<String, String> plans(Database db) {
        return db.tx(tx -> {
            java.util.Map<String, String> plans = new java.util.HashMap<>();
            for (var row : tx.fetch("select name, statement from pg_prepared_statements where statement in (?, ?)",
                    postgresText(ONE), postgresText(SOME))) {
                String statement = row.get(1, String.class);
                String args = statement.contains(" in (") ? "'ten_1', 'row_5', 'row_6', 'row_7'" : "'ten_1', 'row_5'";
                plans.put(statement, tx.fetch("explain execute \"" + row.get(0, String.class) + "\"(" + args + ")").toString());
            }
            return plans;
        });
    }

    /** Each lookup answers its rows (on either database): the one row of {@code n}, then {@code n} and its two followers. */
    private static void lookUp(DSLContext tx, int n) {
        assertThat(tx.fetchOne(ONE, "ten_1", "row_" + n).get(0, String.class)).isEqualTo("Name " + n);
        List<String> names = tx.fetch(SOME, "ten_1", "row_" + n, "row_" + (n + 1), "row_" + (n + 2)).getValues(0, String.class);
        assertThat(names).containsExactlyInAnyOrder("Name " + n, "Name " + (n + 1), "Name " + (n + 2));
    }

    /** The statement as the driver sends it to PostgreSQL: each {@code ?} a numbered parameter. */
    private static String postgresText(String sql) {
        StringBuilder out = new StringBuilder();
        int n = 0;
        for (char c : sql.toCharArray()) out.append(c == '?' ? "$" + ++n : String.valueOf(c));
        return out.toString();
    }

    /** Inserts rows {@code from}..{@code to} of tenant {@code ten_1}, made by the database itself. */
    private String rows(int from, int to) {
        String series = database == TestDatabase.H2 ? "(select \"X\" as g from system_range(" + from + ", " + to + ")) s"
                : "generate_series(" + from + ", " + to + ") g";
        return "insert into young select 'ten_1', 'row_' || g, 'Name ' || g from " + series;
    }

    /** PostgreSQL counts a transaction's changes when its backend flushes its statistics (about each second). */
    private static void awaitCounted(Database db, long changes) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            Long counted = db.dsl().fetchOne("select n_mod_since_analyze from pg_stat_user_tables where relid = 'young'::regclass")
                    .get(0, Long.class);
            if (counted != null && counted >= changes) return;
            Thread.sleep(100);
        }
        throw new AssertionError("PostgreSQL did not count " + changes + " changes of 'young' within 10 s");
    }
}
