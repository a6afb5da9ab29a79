package db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * {@code amount_due} now also counts what the account's credit balance paid ({@code applied_balance}, V11). V5 wrote
 * the old rule as an unnamed check, which each database names its own way ({@code invoices_check1} on PostgreSQL,
 * {@code CONSTRAINT_…} on H2), so SQL alone cannot drop it on both: this finds it by its clause in the standard
 * information schema of the current schema, drops it, and adds the new rule under a name.
 */
public class V11_1__AmountDueCountsAppliedBalance extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        List<String> old = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("select tc.constraint_name, cc.check_clause "
                + "from information_schema.table_constraints tc join information_schema.check_constraints cc "
                + "on cc.constraint_schema = tc.constraint_schema and cc.constraint_name = tc.constraint_name "
                + "where lower(tc.table_name) = 'invoices' and tc.constraint_type = 'CHECK' "
                + "and lower(tc.table_schema) = lower(current_schema())");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                String clause = r.getString(2).toLowerCase(Locale.ROOT);
                if (clause.contains("amount_due") && clause.contains("amount_credited") && clause.contains("total"))
                    old.add(r.getString(1));
            }
        }
        if (old.size() != 1) throw new IllegalStateException("expected one amount_due check on invoices, found " + old);
        try (Statement s = c.createStatement()) {
            s.execute("alter table invoices drop constraint \"" + old.getFirst() + "\"");
            s.execute("alter table invoices add constraint invoices_amount_due "
                    + "check (amount_due = total - amount_paid - amount_credited - applied_balance)");
        }
    }
}
