package tollgate.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Online backups of the embedded H2 database (decision 044). H2's file opens in one process at a time, so
 * {@code tollgate backup} run beside a server cannot open it: it leaves a request in the data directory
 * ({@code backup-requests/NAME.request}, holding the target path) and the server, which looks there every second, runs
 * H2's {@code BACKUP TO} (a consistent copy taken while writers go on) and answers {@code NAME.done} or
 * {@code NAME.failed}. The data directory is the server user's alone (0700): whoever may write there may read the
 * database anyway, so the request needs no other credential. Nothing listens on the network for it.
 */
public final class OnlineBackups {
    public static final String REQUESTS = "backup-requests";
    private static final Logger log = LoggerFactory.getLogger(OnlineBackups.class);

    private final javax.sql.DataSource dataSource;
    private final Path requests;

    public OnlineBackups(javax.sql.DataSource dataSource, Path dataDir) {
        this.dataSource = dataSource;
        this.requests = dataDir.resolve(REQUESTS);
    }

    /**
     * Writes a consistent copy of the open H2 database to {@code target} (a zip), through a temporary file; readable by its
     * owner only (0600), as the database is: it holds all of it.
     */
    public static void backup(Connection c, Path target) throws SQLException, IOException {
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        try {
            Files.deleteIfExists(partial);
            boolean posix = OwnerOnly.supported(partial);
            if (posix) Files.createFile(partial, OwnerOnly.asAttribute(OwnerOnly.FILE)); // 0600 from its first byte
            try (Statement s = c.createStatement()) {
                // What is committed goes to the file first: BACKUP TO copies the store as last written.
                s.execute("CHECKPOINT SYNC");
                s.execute("BACKUP TO '" + partial.toAbsolutePath().toString().replace("'", "''") + "'");
            }
            if (posix) Files.setPosixFilePermissions(partial, OwnerOnly.FILE); // should H2 have made the file anew
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw FileFailure.said("cannot write", e); // said here, for the server's answer to `tollgate backup` too
        }
    }

    /** Takes every waiting request (called every second by the server); each backup runs on a thread of its own. */
    public void serveRequests() {
        if (!Files.isDirectory(requests)) return;
        try (var waiting = Files.newDirectoryStream(requests, "*.request")) {
            for (Path request : waiting) {
                String name = request.getFileName().toString().replaceFirst("\\.request$", "");
                Path running = requests.resolve(name + ".running");
                try {
                    Files.move(request, running, StandardCopyOption.ATOMIC_MOVE); // one taker, however many look
                } catch (IOException e) {
                    continue;
                }
                Thread.ofVirtual().name("backup " + name).start(() -> run(name, running));
            }
        } catch (IOException e) {
            log.warn("backup requests could not be read: {}", e.toString());
        }
    }

    private void run(String name, Path running) {
        String outcome;
        String suffix;
        try {
            Path target = Path.of(Files.readString(running, StandardCharsets.UTF_8).strip());
            try (Connection c = dataSource.getConnection()) {
                backup(c, target);
            }
            outcome = target.toString();
            suffix = ".done";
            log.info("online backup written to {}", target);
        } catch (IOException | SQLException | RuntimeException e) {
            outcome = e.getMessage() == null ? e.toString() : e.getMessage();
            suffix = ".failed";
            log.warn("online backup failed: {}", outcome);
        }
        try {
            Path answer = requests.resolve(name + suffix + ".tmp");
            Files.writeString(answer, outcome, StandardCharsets.UTF_8);
            Files.move(answer, requests.resolve(name + suffix), StandardCopyOption.ATOMIC_MOVE);
            Files.deleteIfExists(running);
        } catch (IOException e) {
            log.warn("backup answer could not be written: {}", e.toString());
        }
    }

    /**
     * Asks the server on {@code dataDir} for a backup to {@code target} and waits for its answer. Throws with the
     * server's message when it failed, or when no server took the request within {@code wait} (the request is then
     * withdrawn).
     */
    public static void request(Path dataDir, Path target, Duration wait) throws IOException, InterruptedException {
        Path dir = dataDir.resolve(REQUESTS);
        Files.createDirectories(dir);
        if (OwnerOnly.supported(dir)) Files.setPosixFilePermissions(dir, OwnerOnly.DIR); // also one an older version made
        String name = "b" + System.nanoTime();
        Path temp = dir.resolve(name + ".tmp");
        Files.writeString(temp, target.toAbsolutePath().toString(), StandardCharsets.UTF_8);
        Path request = dir.resolve(name + ".request");
        Files.move(temp, request, StandardCopyOption.ATOMIC_MOVE);
        long deadline = System.nanoTime() + wait.toNanos();
        Path done = dir.resolve(name + ".done");
        Path failed = dir.resolve(name + ".failed");
        while (System.nanoTime() < deadline) {
            if (Files.exists(done)) {
                Files.delete(done);
                return;
            }
            if (Files.exists(failed)) {
                String why = Files.readString(failed, StandardCharsets.UTF_8);
                Files.delete(failed);
                throw new IllegalStateException("the server could not make the backup: " + why);
            }
            Thread.sleep(200);
        }
        boolean untaken = Files.deleteIfExists(request);
        throw new IllegalStateException(untaken
                ? "the database is in use but no server took the backup request within " + wait.toSeconds() + " s (is it a Tollgate server of this version?)"
                : "the server took the backup request but did not finish within " + wait.toSeconds() + " s; it goes on, and writes " + target);
    }
}
