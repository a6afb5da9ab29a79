package tollgate.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tollgate.tenants.TenantStore;
import tollgate.testing.TestDatabase;

/**
 * Decision 083, statement by statement: every statement the stores declare {@link Database#byKey} has, on the migrated
 * schema, a generic plan that takes its table's primary key (or an index on exactly {@code (tenant_id, id)}), so
 * preparing it on the server cannot give a tenant a plan that reads more than its row. And a declared statement run
 * through its store is prepared on the server. PostgreSQL only: H2 prepares nothing.
 */
class KeyedStatementsTest {
    private static final Pattern DECLARING_CLASS = Pattern.compile("Database\\.byKey\\(");
    private static final Pattern INDEX_USED = Pattern.compile("Index (?:Only )?Scan using (\\w+) on (\\w+)");

    /**
     * The statements the main classes declare by key: every class whose source calls {@code Database.byKey} is loaded,
     * and its static texts that were declared are taken (a test's own declarations, {@link PreparedPlansTest}'s, are not
     * the schema's).
     */
    private static List<String> declaredByTheStores() throws Exception {
        Path main = Path.of("src/main/java");
        List<Path> sources;
        try (Stream<Path> files = Files.walk(main)) {
            sources = files.filter(f -> f.toString().endsWith(".java")).toList();
        }
        int declaring = 0;
        List<String> declared = new ArrayList<>();
        for (Path source : sources) {
            if (source.endsWith(Path.of("core", "Database.java")) || !DECLARING_CLASS.matcher(Files.readString(source)).find()) continue;
            String name = main.relativize(source).toString().replace('/', '.').replaceAll("\\.java$", "");
            Class<?> store = Class.forName(name, true, KeyedStatementsTest.class.getClassLoader());
            declaring++;
            java.util.Set<String> known = java.util.Set.copyOf(Database.declaredByKey()); // read after loading: it holds this store's statements
            for (java.lang.reflect.Field f : store.getDeclaredFields()) {
                if (!java.lang.reflect.Modifier.isStatic(f.getModifiers()) || f.getType() != String.class) continue;
                f.setAccessible(true);
                String text = (String) f.get(null);
                if (known.contains(text)) declared.add(text);
            }
        }
        assertThat(declaring).as("stores that declare statements by key").isGreaterThanOrEqualTo(3);
        return declared;
    }

    @Test
    void everyDeclaredStatementsGenericPlanTakesTheKeyAndTheStoresStatementsArePrepared() throws Exception {
        assumeTrue(TestDatabase.available().contains(TestDatabase.POSTGRES), "PostgreSQL only: H2 prepares nothing");
        List<String> declared = declaredByTheStores();
        assertThat(declared).as("declared statements").hasSizeGreaterThanOrEqualTo(5);
        try (Database db = Database.open(TestDatabase.POSTGRES.freshUrl(), null, null, 2)) {
            db.migrate();
            List<String> failures = new ArrayList<>();
            for (String sql : declared) {
                int placeholders = (int) sql.chars().filter(c -> c == '?').count();
                String plan = db.tx(tx -> GenericPlans.explain(tx, sql, List.of(), java.util.Collections.nCopies(placeholders, "null")));
                Matcher used = INDEX_USED.matcher(plan);
                if (!used.find()) {
                    failures.add(sql + "\n" + plan);
                    continue;
                }
                String index = used.group(1);
                String table = used.group(2);
                String definition = db.dsl().fetchOne("select indexdef from pg_indexes where schemaname = current_schema() and indexname = ?",
                        index).get(0, String.class);
                if (!index.equals(table + "_pkey") && !definition.endsWith("(tenant_id, id)")) failures.add(sql + "\n" + plan + "\n" + definition);
            }
            assertThat(failures).as("declared statements whose generic plan does not take the key").isEmpty();

            // Through a store, on one connection (one transaction holds one): prepared on the server after its fifth run.
            db.dsl().execute("insert into tenants (id, name, mode, clock_now, created_at) values ('tnt_keyed', 'Keyed', 'test', ?, ?)",
                    Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-03-01T00:00:00Z"));
            TenantStore tenants = new TenantStore();
            List<String> prepared = db.tx(tx -> {
                for (int run = 0; run < 10; run++)
                    assertThat(tenants.readTestClock(tx, "tnt_keyed")).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
                return tx.fetch("select statement from pg_prepared_statements").getValues(0, String.class);
            });
            assertThat(prepared).contains("select clock_now from tenants where id = $1");
        }
    }
}
