package tollgate;

import java.nio.file.Path;
import java.util.Map;

/** Settings from the environment; see the README's configuration table. */
public record Config(String databaseUrl, String databaseUser, String databasePassword, Path dataDir, int port,
                     String bootstrapKey) {

    public static Config fromEnvironment(Map<String, String> env) {
        Path dataDir = Path.of(env.getOrDefault("TOLLGATE_DATA_DIR", "data"));
        String url = env.get("TOLLGATE_DATABASE_URL");
        if (url != null && !url.startsWith("jdbc:postgresql:"))
            throw new IllegalArgumentException("TOLLGATE_DATABASE_URL must be a jdbc:postgresql:// URL");
        int port;
        try {
            port = Integer.parseInt(env.getOrDefault("TOLLGATE_PORT", "8080"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("TOLLGATE_PORT must be a port number");
        }
        return new Config(url, env.get("TOLLGATE_DATABASE_USER"), env.get("TOLLGATE_DATABASE_PASSWORD"), dataDir, port,
                blankToNull(env.get("TOLLGATE_BOOTSTRAP_KEY")));
    }

    /** The PostgreSQL URL when one is set, else the embedded H2 file under the data directory. */
    public String jdbcUrl() {
        return databaseUrl != null ? databaseUrl : tollgate.core.Database.h2FileUrl(dataDir);
    }

    public Config withPort(int newPort) {
        return new Config(databaseUrl, databaseUser, databasePassword, dataDir, newPort, bootstrapKey);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
