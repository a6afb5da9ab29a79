package tollgate.core;

import java.util.List;
import org.jooq.DSLContext;

/**
 * The plan PostgreSQL keeps for a statement prepared on the server once it stops planning it with its values: for the
 * tests of which statements may be prepared (decisions 074 and 083).
 */
final class GenericPlans {
    private GenericPlans() {
    }

    /**
     * EXPLAIN of {@code sql} (with JDBC's {@code ?} placeholders), prepared in {@code tx} and held to its generic plan,
     * executed with {@code args}: SQL literals, one a placeholder. The parameters take {@code types} (one each, as the
     * driver would bind them), or with none the types PostgreSQL infers from where they stand.
     */
    static String explain(DSLContext tx, String sql, List<String> types, List<String> args) {
        StringBuilder numbered = new StringBuilder();
        int n = 0;
        for (char c : sql.toCharArray()) {
            if (c == '?') numbered.append('$').append(++n);
            else numbered.append(c);
        }
        if (args.size() != n) throw new IllegalArgumentException(n + " placeholders, " + args.size() + " values: " + sql);
        if (!types.isEmpty() && types.size() != n) throw new IllegalArgumentException(n + " placeholders, " + types.size() + " types: " + sql);
        tx.execute("prepare generic_plan" + (types.isEmpty() ? "" : " (" + String.join(", ", types) + ")") + " as " + numbered);
        tx.execute("set local plan_cache_mode = force_generic_plan");
        String plan = String.join("\n", tx.fetch("explain execute generic_plan (" + String.join(", ", args) + ")").getValues(0, String.class));
        tx.execute("deallocate generic_plan");
        return plan;
    }
}
