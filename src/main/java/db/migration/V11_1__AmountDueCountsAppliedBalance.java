package db.migration;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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
        String old = UnnamedChecks.find(c, "invoices",
                clause -> clause.contains("amount_due") && clause.contains("amount_credited") && clause.contains("total"));
        try (Statement s = c.createStatement()) {
            s.execute("alter table invoices drop constraint \"" + old + "\"");
            s.execute("alter table invoices add constraint invoices_amount_due "
                    + "check (amount_due = total - amount_paid - amount_credited - applied_balance)");
        }
    }
}
