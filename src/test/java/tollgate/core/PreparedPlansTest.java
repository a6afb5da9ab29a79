package tollgate.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.TestDatabase;

/**
 * Decision 074: an INSERT run often on a connection is prepared on the server (parsed and planned once: its plan has no
 * path to choose), through jOOQ and past it ({@link Bulk}); every other statement (an insert that reads a table too) is
 * planned with its values, because a generic plan cannot know which tenant it serves. On a table with one tenant of
 * 200,000 rows among 300 of 10 (shaped as {@code accounts}: keyed by id, an index on {@code (tenant_id, id)}), the
 * generic plan of a batch lookup by 500 ids reads the large tenant's index entries whole instead of taking the 500
 * keys. A statement declared {@link Database#byKey} (decision 083) is prepared too, and its generic plan takes the key.
 * On H2 the statements just answer.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class PreparedPlansTest {
    @Parameter
    TestDatabase database;

    private static final int IDS = 500;
    private static final String INSERT = "insert into skewed (id, tenant_id, name) values (?, ?, ?)";
    private static final String BATCH_INSERT = "insert into skewed (id, tenant_id, name) values (?, ?, ?) on conflict do nothing";
    private static final String ONE = "select name from skewed where tenant_id = ? and id = ?";
    private static final String SOME = "select id from skewed where tenant_id = ? and id in (" + Sql.placeholders(IDS) + ") order by id";
    private static final String RENAME = "update skewed set name = ? where tenant_id = ? and id = ?";
    /** Decision 083: the same lookup and update, declared by the primary key (their own texts, so the two kinds stay apart). */
    private static final String KEYED = Database.byKey("select name from skewed where id = ? and tenant_id = ?");
    private static final String KEYED_RENAME = Database.byKey("update skewed set name = ? where id = ? and tenant_id = ?");
    private static final String COPY = "insert into skewed (id, tenant_id, name) select 'copy_' || id, tenant_id, name from skewed "
            + "where tenant_id = ? and id = ?";

    @Test
    void insertsAndStatementsDeclaredByKeyArePreparedOnTheServerAndEveryOtherStatementIsPlannedWithItsValues() {
        String url = database.freshUrl();
        // One connection: the statements prepared on it are the ones looked at.
        try (Database db = Database.open(url, null, null, 1)) {
            fillSkewed(db);
            runEachTenTimes(db);
            if (database == TestDatabase.H2) return;
            List<String> prepared = preparedStatements(db);
            assertThat(prepared).as("inserts, through jOOQ and through Bulk, prepared on the server")
                    .anySatisfy(s -> assertThat(s).startsWith("insert into skewed (id, tenant_id, name) values ($1, $2, $3)"))
                    .anySatisfy(s -> assertThat(s).contains("on conflict do nothing"));
            assertThat(prepared).as("nothing prepared but inserts and the statements declared by key")
                    .allSatisfy(s -> assertThat(s.startsWith("insert into skewed (id, tenant_id, name) values")
                            || s.equals("select name from skewed where id = $1 and tenant_id = $2")
                            || s.equals("update skewed set name = $1 where id = $2 and tenant_id = $3")).as(s).isTrue());
            assertThat(prepared).as("a lookup and an update declared by the primary key, prepared on the server (decision 083)")
                    .contains("select name from skewed where id = $1 and tenant_id = $2",
                            "update skewed set name = $1 where id = $2 and tenant_id = $3");
            // Their generic plan takes the key, for the large tenant too.
            String keyed = db.tx(tx -> GenericPlans.explain(tx, KEYED, List.of("varchar", "varchar"), List.of("'big_1000'", "'ten_big'")));
            // Either index that starts with what is bound will do: the key's, or (tenant_id, id) with both in its condition.
            assertThat(keyed).as("the generic plan of the lookup by key")
                    .containsPattern("Index Scan using (skewed_pkey|skewed_tenant) on skewed")
                    .containsPattern("Index Cond: .*\\(id\\)::text = \\(\\$1\\)");

            // What planning with the values avoids: the same lookup's generic plan, for any tenant, reads the tenant's
            // entries of skewed_tenant and filters them by id (200,000 for the large tenant) instead of taking its keys.
            List<String> args = new ArrayList<>(List.of("'ten_big'"));
            for (int i = 0; i < IDS; i++) args.add("'big_" + (1 + i * 397) + "'");
            String plan = db.tx(tx -> GenericPlans.explain(tx, SOME, java.util.Collections.nCopies(args.size(), "varchar"), args));
            assertThat(plan).as("the generic plan of the batch lookup").contains("skewed_tenant").doesNotContain("skewed_pkey");
        }
        if (database == TestDatabase.H2) return;
        // Behind a pooler that cannot keep prepared statements (README): the URL's prepareThreshold=0 is obeyed, inserts too.
        try (Database db = Database.open(url + "&prepareThreshold=0", null, null, 1)) {
            db.tx(tx -> {
                for (int i = 0; i < 10; i++) tx.execute(INSERT, "again_" + i, "ten_7", "Again");
                return null;
            });
            assertThat(preparedStatements(db)).isEmpty();
        }
    }

    /** One tenant of 200,000 rows and 300 of 10, analyzed (on PostgreSQL). */
    private void fillSkewed(Database db) {
        db.dsl().execute("create table skewed (id varchar(40) primary key, tenant_id varchar(40) not null, name varchar(200) not null)");
        db.dsl().execute("create index skewed_tenant on skewed (tenant_id, id)");
        String series = database == TestDatabase.H2 ? "(select \"X\" as g from system_range(1, %d)) s" : "generate_series(1, %d) g";
        db.dsl().execute("insert into skewed select 'big_' || g, 'ten_big', 'Name' from " + series.formatted(200_000));
        db.dsl().execute("insert into skewed select 'small_' || g, 'ten_' || (g / 10), 'Name' from " + series.formatted(3_000));
        if (database == TestDatabase.POSTGRES) db.dsl().execute("analyze skewed");
    }

    /** Each kind of statement ten times on the pool's one connection, each answering what it should. */
    private static void runEachTenTimes(Database db) {
        Object[] some = new Object[IDS + 1];
        some[0] = "ten_big";
        for (int i = 0; i < IDS; i++) some[i + 1] = "big_" + (1 + i * 397);
        db.tx(tx -> {
            for (int run = 0; run < 10; run++) {
                assertThat(tx.execute(INSERT, "new_" + run, "ten_7", "New " + run)).isEqualTo(1);
                List<Object[]> two = new ArrayList<>();
                for (int k = 0; k < 2; k++) two.add(new Object[] {"bulk_" + run + "_" + k, "ten_7", "Bulk"});
                assertThat(Bulk.run(tx, BATCH_INSERT, two)).hasSize(2);
                assertThat(tx.fetchOne(ONE, "ten_7", "new_" + run).get(0, String.class)).isEqualTo("New " + run);
                assertThat(tx.fetch(SOME, some)).hasSize(IDS);
                assertThat(Bulk.run(tx, RENAME, List.<Object[]>of(new Object[] {"Renamed", "ten_7", "new_" + run}))).containsExactly(1);
                assertThat(tx.execute(COPY, "ten_7", "new_" + run)).isEqualTo(1);
                assertThat(tx.fetchOne(KEYED, "big_" + (run + 1), "ten_big").get(0, String.class)).isEqualTo("Name");
                assertThat(Bulk.run(tx, KEYED_RENAME, List.<Object[]>of(new Object[] {"Keyed", "small_" + (run + 10), "ten_1"})))
                        .containsExactly(1);
            }
            return null;
        });
    }

    private static List<String> preparedStatements(Database db) {
        return db.tx((DSLContext tx) -> tx.fetch("select statement from pg_prepared_statements").getValues(0, String.class));
    }
}
