package tollgate.usage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import tollgate.usage.UsageEventRules.Stored;

/**
 * SQL for usage events. A batch costs one read of the ids already recorded and one insert, however many events it
 * holds; a cycle's total is one read of an index on (subscription, cycle, quantity). The two batch statements are
 * usage's hot path and speak JDBC on the transaction's connection: jOOQ's binding of thousands of values (and of
 * arrays, which it renders as text) cost more CPU than the database's own work (docs/decisions/009).
 */
public final class UsageStore {
    /** A new event and the cycle it counts in. */
    public record Row(String id, String subscription, long quantity, Instant timestamp, Instant cycleStart) {}

    /** The events among {@code ids} that the tenant recorded before, by id. */
    public Map<String, Stored> find(DSLContext db, String tenantId, Collection<String> ids) {
        if (ids.isEmpty()) return Map.of();
        Map<String, Stored> found = new HashMap<>();
        // One array parameter rather than an IN list of up to 1000: one statement text, which reads the primary key
        // (its leading column is the id).
        db.connection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select id, subscription_id, quantity, occurred_at from usage_events where id = any(?) and tenant_id = ?")) {
                ps.setArray(1, c.createArrayOf("varchar", ids.toArray()));
                ps.setString(2, tenantId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Stored stored = new Stored(rs.getString(1), rs.getString(2), rs.getLong(3),
                                rs.getObject(4, OffsetDateTime.class).toInstant());
                        found.put(stored.id(), stored);
                    }
                }
            }
        });
        return found;
    }

    public void insert(DSLContext db, String tenantId, List<Row> rows, Instant now) {
        if (rows.isEmpty()) return;
        boolean postgres = db.dialect().family() == SQLDialect.POSTGRES;
        db.connection(c -> {
            if (postgres) insertUnnest(db, c, tenantId, rows, now);
            else insertValues(c, tenantId, rows, now);
        });
    }

    private static final String UNNEST_INSERT =
            "insert into usage_events (tenant_id, id, subscription_id, quantity, occurred_at, cycle_start, created_at) "
                    + "select ?, u.id, u.subscription_id, u.quantity, "
                    + "timestamptz 'epoch' + u.occurred_ms * interval '1 millisecond', "
                    + "timestamptz 'epoch' + u.cycle_ms * interval '1 millisecond', ? "
                    + "from unnest(?::varchar[], ?::varchar[], ?::bigint[], ?::bigint[], ?::bigint[]) "
                    + "as u(id, subscription_id, quantity, occurred_ms, cycle_ms)";

    /**
     * PostgreSQL: the rows as five arrays (times as epoch milliseconds), so one statement text serves every batch
     * size and binds five values instead of thousands.
     */
    private static void insertUnnest(DSLContext db, Connection c, String tenantId, List<Row> rows, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UNNEST_INSERT)) {
            tollgate.core.Bulk.planned(db, ps, UNNEST_INSERT);
            bindUnnest(c, ps, tenantId, rows, now);
            ps.executeUpdate();
        }
    }

    private static void bindUnnest(Connection c, PreparedStatement ps, String tenantId, List<Row> rows, Instant now) throws SQLException {
        int n = rows.size();
        String[] ids = new String[n];
        String[] subscriptions = new String[n];
        long[] quantities = new long[n];
        long[] timestamps = new long[n];
        long[] cycles = new long[n];
        for (int i = 0; i < n; i++) {
            Row row = rows.get(i);
            ids[i] = row.id();
            subscriptions[i] = row.subscription();
            quantities[i] = row.quantity();
            timestamps[i] = row.timestamp().toEpochMilli();
            cycles[i] = row.cycleStart().toEpochMilli();
        }
        ps.setString(1, tenantId);
        ps.setObject(2, now.atOffset(ZoneOffset.UTC));
        ps.setArray(3, c.createArrayOf("varchar", ids));
        ps.setArray(4, c.createArrayOf("varchar", subscriptions));
        ps.setObject(5, quantities);
        ps.setObject(6, timestamps);
        ps.setObject(7, cycles);
    }

    /** H2: one multi-row VALUES. */
    private static void insertValues(Connection c, String tenantId, List<Row> rows, Instant now) throws SQLException {
        StringBuilder sql = new StringBuilder(100 + rows.size() * 24)
                .append("insert into usage_events (tenant_id, id, subscription_id, quantity, occurred_at, cycle_start, created_at) values ");
        for (int i = 0; i < rows.size(); i++) sql.append(i == 0 ? "(?, ?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?, ?)");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int k = 1;
            OffsetDateTime created = now.atOffset(ZoneOffset.UTC);
            for (Row row : rows) {
                ps.setString(k++, tenantId);
                ps.setString(k++, row.id());
                ps.setString(k++, row.subscription());
                ps.setLong(k++, row.quantity());
                ps.setObject(k++, row.timestamp().atOffset(ZoneOffset.UTC));
                ps.setObject(k++, row.cycleStart().atOffset(ZoneOffset.UTC));
                ps.setObject(k++, created);
            }
            ps.executeUpdate();
        }
    }

    /**
     * The quantity recorded for a subscription's cycle. Each event counts at most 10^12 but a cycle may hold any number
     * of them: a sum beyond a {@code long} throws {@link ArithmeticException} (both databases sum into a numeric; read
     * as a {@code Long} it would wrap around silently).
     */
    public long total(DSLContext db, String subscriptionId, Instant cycleStart) {
        java.math.BigDecimal sum = db.fetchOne("select coalesce(sum(quantity), 0) from usage_events where subscription_id = ? and cycle_start = ?",
                subscriptionId, cycleStart).get(0, java.math.BigDecimal.class);
        return sum == null ? 0 : sum.longValueExact();
    }

}
