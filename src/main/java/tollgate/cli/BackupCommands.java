package tollgate.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tollgate.Config;
import tollgate.core.OnlineBackups;

/**
 * {@code tollgate backup --to FILE}, {@code tollgate restore FILE [--force]} and {@code tollgate check-data}
 * (decision 044). Backups are of the embedded H2 database; PostgreSQL has its own tools (pg_dump, PITR).
 */
final class BackupCommands {
    private BackupCommands() {}

    static final String POSTGRES = "this server runs on PostgreSQL (TOLLGATE_DATABASE_URL): back it up with PostgreSQL's own "
            + "tools — pg_dump -Fc for a copy (pg_restore to bring it back), or continuous archiving with a base backup "
            + "(pg_basebackup + archive_command) for point-in-time recovery; see the README's Backups section";

    /** The H2 database file of a data directory. */
    static Path databaseFile(Path dataDir) {
        return dataDir.resolve("tollgate.mv.db");
    }

    @Command(name = "backup", description = "Write a consistent copy of the embedded H2 database to a file (a zip), "
            + "while the server runs or not. On PostgreSQL it says to use pg_dump or PITR.")
    static final class Backup implements Callable<Integer> {
        @Option(names = "--to", required = true, description = "The backup file to write (a .zip); refused if it exists.")
        Path to;

        @Option(names = "--wait", defaultValue = "600", description = "Seconds to wait for a running server to write it (default 600).")
        long waitSeconds;

        @Override
        public Integer call() throws Exception {
            Config config = Cli.config();
            if (config.databaseUrl() != null) throw new IllegalStateException(POSTGRES);
            if (!Files.exists(databaseFile(config.dataDir())))
                throw new IllegalStateException("there is no database in " + config.dataDir().toAbsolutePath() + " to back up");
            Path target = to.toAbsolutePath();
            if (Files.exists(target)) throw new IllegalStateException(target + " exists already: choose a new file name");
            try {
                if (target.getParent() != null) Files.createDirectories(target.getParent());
            } catch (java.io.IOException e) {
                throw tollgate.core.FileFailure.said("cannot create the folder", e);
            }
            boolean running = false;
            // A server that holds the file refuses this connection: H2 then writes nothing to a trace file of its own.
            try (Connection c = DriverManager.getConnection(config.jdbcUrl() + ";IFEXISTS=TRUE;TRACE_LEVEL_FILE=0")) {
                OnlineBackups.backup(c, target);
            } catch (java.sql.SQLException e) {
                if (!inUse(e)) throw e;
                running = true; // a server holds the file: it makes the backup itself
            }
            if (running) OnlineBackups.request(config.dataDir(), target, Duration.ofSeconds(waitSeconds));
            System.out.println("Backed up " + config.dataDir().toAbsolutePath() + (running ? " (online, by the running server)" : "")
                    + " to " + target + " (" + Files.size(target) + " bytes).");
            System.out.println("The backup does not hold the encryption key: keep TOLLGATE_ENCRYPTION_KEY (or the data "
                    + "directory's encryption.key) safe apart from it; without it license keys and secrets cannot be read.");
            return 0;
        }

        private static boolean inUse(java.sql.SQLException e) {
            for (Throwable t = e; t != null; t = t.getCause())
                if (t instanceof java.sql.SQLException s && s.getErrorCode() == 90020) return true;
            return false;
        }
    }

    @Command(name = "restore", description = "Restore a backup made by `tollgate backup` into the data directory "
            + "(TOLLGATE_DATA_DIR). Refuses a data directory that holds a database unless --force; never while a server runs on it.")
    static final class Restore implements Callable<Integer> {
        @Parameters(index = "0", description = "The backup file (.zip).")
        Path file;

        @Option(names = "--force", description = "Replace the database the data directory holds.")
        boolean force;

        @Override
        public Integer call() throws Exception {
            Config config = Cli.config();
            if (config.databaseUrl() != null) throw new IllegalStateException(POSTGRES);
            if (!Files.isRegularFile(file)) throw new IllegalStateException(file + " is not a file");
            if (!holdsDatabase(file))
                throw new IllegalStateException(file + " is not a Tollgate backup (no tollgate.mv.db inside)");
            Path dir = config.dataDir();
            Path db = databaseFile(dir);
            if (Files.exists(db)) {
                if (!force)
                    throw new IllegalStateException(dir.toAbsolutePath() + " holds a database already: restore into an empty "
                            + "data directory, or add --force to replace it (the server must be stopped)");
                Cli.requireDatabaseFree(config);
                Files.delete(db);
                Files.deleteIfExists(dir.resolve("tollgate.trace.db"));
            }
            config.prepareDataDir();
            org.h2.tools.Restore.execute(file.toString(), dir.toString(), "tollgate");
            config.protectDatabaseFiles();
            System.out.println("Restored " + file + " into " + dir.toAbsolutePath() + ". Run `tollgate check-data` to check it.");
            if (config.encryptionKey() == null && !Files.exists(dir.resolve("encryption.key")))
                System.out.println("Warning: no encryption key here: set TOLLGATE_ENCRYPTION_KEY, or copy the old data "
                        + "directory's encryption.key, before starting the server (a new key cannot open the sealed secrets).");
            return 0;
        }

        private static boolean holdsDatabase(Path zip) {
            try (var in = new java.util.zip.ZipInputStream(Files.newInputStream(zip))) {
                for (var e = in.getNextEntry(); e != null; e = in.getNextEntry())
                    if (e.getName().endsWith("tollgate.mv.db")) return true;
                return false;
            } catch (java.io.IOException e) {
                return false;
            }
        }
    }

    @Command(name = "check-data", description = "Check the books: invoice and credit note numbers gapless per tenant, "
            + "every invoice's lines sum to its subtotal, payments and credit notes within totals. Exit 0 when all hold, 1 otherwise.")
    static final class CheckData implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            Config config = Cli.config();
            if (config.databaseUrl() == null) {
                if (!Files.exists(databaseFile(config.dataDir())))
                    throw new IllegalStateException("there is no database in " + config.dataDir().toAbsolutePath());
                Cli.requireDatabaseFree(config);
            }
            try (Connection c = config.databaseUrl() == null ? DriverManager.getConnection(config.jdbcUrl() + ";IFEXISTS=TRUE")
                    : DriverManager.getConnection(config.jdbcUrl(), config.databaseUser(), config.databasePassword())) {
                DataCheck.Report report = DataCheck.run(c);
                System.out.println(report.summary());
                report.problems().forEach(p -> System.out.println("  - " + p));
                return report.problems().isEmpty() ? 0 : 1;
            }
        }
    }
}
