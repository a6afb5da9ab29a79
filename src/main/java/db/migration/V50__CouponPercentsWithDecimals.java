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
 * A coupon's {@code percent_off} takes two decimals (decision 089: 12.5 %, as Stripe takes). V2 wrote the column as an
 * integer with an unnamed check from 1 to 100, which each database names its own way: as V11_1 does, this finds the
 * check by its clause in the information schema of the current schema, drops it, changes the type (whole percents
 * stay what they were) and adds the new rule under a name.
 */
public class V50__CouponPercentsWithDecimals extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        List<String> old = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("select tc.constraint_name, cc.check_clause "
                + "from information_schema.table_constraints tc join information_schema.check_constraints cc "
                + "on cc.constraint_schema = tc.constraint_schema and cc.constraint_name = tc.constraint_name "
                + "where lower(tc.table_name) = 'coupons' and tc.constraint_type = 'CHECK' "
                + "and lower(tc.table_schema) = lower(current_schema())");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                if (r.getString(2).toLowerCase(Locale.ROOT).contains("percent_off")) old.add(r.getString(1));
            }
        }
        if (old.size() != 1) throw new IllegalStateException("expected one percent_off check on coupons, found " + old);
        try (Statement s = c.createStatement()) {
            s.execute("alter table coupons drop constraint \"" + old.getFirst() + "\"");
            s.execute("alter table coupons alter column percent_off set data type numeric(5, 2)");
            s.execute("alter table coupons add constraint coupons_percent_off check (percent_off > 0 and percent_off <= 100)");
        }
    }
}
