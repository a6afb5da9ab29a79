package tollgate.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import tollgate.core.Database;

/**
 * The databases every database test runs on: H2 always, PostgreSQL when {@code TOLLGATE_TEST_DATABASE_URL}
 * is set. Each PostgreSQL run gets a schema of its own, dropped when the JVM exits.
 */
public enum TestDatabase {
    H2, POSTGRES;

    public static final String ENV = "TOLLGATE_TEST_DATABASE_URL";

    /** For {@code @MethodSource}: the databases this run can use. */
    public static List<TestDatabase> available() {
        List<TestDatabase> all = new ArrayList<>(List.of(H2));
        String pg = System.getenv(ENV);
        if (pg != null && !pg.isBlank()) all.add(POSTGRES);
        return all;
    }

    /** A fresh, empty database URL of this kind. */
    public String freshUrl() {
        String name = "tg_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        if (this == H2) return Database.h2MemoryUrl(name);
        String base = System.getenv(ENV);
        try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
            s.execute("create schema " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test schema on " + base, e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> dropSchema(base, name)));
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + name;
    }

    private static void dropSchema(String base, String name) {
        try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
            s.execute("drop schema if exists " + name + " cascade");
        } catch (SQLException e) {
            // best effort at exit: a leftover schema is harmless
        }
    }
}
