package db.migration;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * A coupon's {@code percent_off} takes two decimals (decision 089: 12.5 %, as Stripe takes). V2 wrote the column as an
 * integer with an unnamed check from 1 to 100, which each database names its own way: as V11_1 does, this finds the
 * check by its clause in the information schema of the current schema, drops it, changes the type (whole percents
 * stay what they were) and adds the new rule under a name.
 */
public class V50__CouponPercentsWithDecimals extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        String old = UnnamedChecks.find(c, "coupons", clause -> clause.contains("percent_off"));
        try (Statement s = c.createStatement()) {
            s.execute("alter table coupons drop constraint \"" + old + "\"");
            s.execute("alter table coupons alter column percent_off set data type numeric(5, 2)");
            s.execute("alter table coupons add constraint coupons_percent_off check (percent_off > 0 and percent_off <= 100)");
        }
    }
}
