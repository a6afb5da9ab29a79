package tollgate.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster of the test's own (decision 051): made with {@code initdb} in a temporary directory, on
 * a port of its own, so a test may stop, restart or fail it over without touching the shared cluster on 5432 that other
 * tests use. Trust authentication on 127.0.0.1 only. Run as the {@code postgres} user when the tests run as root
 * (PostgreSQL refuses to run as root). {@link #standbyOf} makes a streaming-replication standby with
 * {@code pg_basebackup}; the primary then commits synchronously ({@code synchronous_standby_names = '*'}).
 */
public final class PgCluster implements AutoCloseable {
    public final Path dir;
    public final int port;
    private final Path bin;

    private PgCluster(Path dir, int port, Path bin) {
        this.dir = dir;
        this.port = port;
        this.bin = bin;
    }

    /** The newest {@code /usr/lib/postgresql/N/bin} with initdb, or null when there is none. */
    public static Path binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) return null;
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparingInt(b -> Integer.parseInt(b.getParent().getFileName().toString().replaceAll("\\D", "0"))))
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** A new, empty, running cluster under a temporary directory. */
    public static PgCluster create(String name) throws Exception {
        Path bin = binaries();
        if (bin == null) throw new IllegalStateException("PostgreSQL's binaries (initdb, pg_ctl) are not installed under /usr/lib/postgresql");
        PgCluster c = new PgCluster(newDir(name), ServerProcess.freePort(), bin);
        c.run("initdb", "-D", c.data().toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--locale=C");
        c.configure(List.of("synchronous_standby_names = ''"));
        c.start();
        return c;
    }

    private static Path newDir(String name) throws IOException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "tollgate-pg-" + name + "-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        if (root()) {
            UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(dir, postgres);
        }
        return dir;
    }

    private Path data() {
        return dir.resolve("data");
    }

    private void configure(List<String> extra) throws IOException {
        List<String> lines = new ArrayList<>(List.of("port = " + port, "listen_addresses = '127.0.0.1'",
                "unix_socket_directories = '" + dir + "'", "shared_buffers = 32MB", "max_connections = 120",
                "max_wal_senders = 5", "wal_level = replica", "synchronous_commit = on", "log_min_messages = warning"));
        lines.addAll(extra);
        Path conf = data().resolve("postgresql.auto.conf");
        // Appended as the postgres user's file: written as text, ownership kept (root writes keep the owner).
        Files.writeString(conf, String.join("\n", lines) + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/postgres?user=postgres} with {@code extra} parameters. */
    public String url(String extra) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres" + (extra.isEmpty() ? "" : "&" + extra);
    }

    public void start() throws Exception {
        run("pg_ctl", "-D", data().toString(), "-l", dir.resolve("server.log").toString(), "-w", "-t", "60", "start");
    }

    /** {@code fast}: sessions cut, a clean shutdown; {@code immediate}: as a crash, recovered from the WAL at the next start. */
    public void stop(String mode) throws Exception {
        run("pg_ctl", "-D", data().toString(), "-m", mode, "-w", "-t", "60", "stop");
    }

    /** A standby of this (running) cluster on a port of its own, streaming, and this primary waiting for it on every commit. */
    public PgCluster standbyOf(String name) throws Exception {
        PgCluster standby = new PgCluster(newDir(name), ServerProcess.freePort(), bin);
        run("pg_basebackup", "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", "postgres", "-D", standby.data().toString(),
                "-X", "stream", "-R", "--no-sync");
        standby.configure(List.of("primary_conninfo = 'host=127.0.0.1 port=" + port + " user=postgres application_name=" + name + "'",
                "synchronous_standby_names = ''"));
        standby.start();
        // From now on a commit on the primary returns once the standby has it: a failover loses no committed transaction.
        try (Connection c = DriverManager.getConnection(url(""))) {
            c.createStatement().execute("alter system set synchronous_standby_names = '" + name + "'");
            c.createStatement().execute("select pg_reload_conf()");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                var r = c.createStatement().executeQuery("select sync_state from pg_stat_replication where application_name = '" + name + "'");
                if (r.next() && "sync".equals(r.getString(1))) break;
                if (System.nanoTime() > deadline) throw new IllegalStateException("the standby did not become synchronous; see " + standby.dir);
                Thread.sleep(100);
            }
        }
        return standby;
    }

    /** Makes this standby a primary ({@code pg_ctl promote}) and waits until it takes writes. */
    public void promote() throws Exception {
        run("pg_ctl", "-D", data().toString(), "-w", "-t", "60", "promote");
        // A promoted standby takes writes without waiting for a standby of its own.
        try (Connection c = DriverManager.getConnection(url(""))) {
            c.createStatement().execute("alter system set synchronous_standby_names = ''");
            c.createStatement().execute("select pg_reload_conf()");
        }
    }

    private void run(String tool, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        if (root()) command.addAll(List.of("runuser", "-u", "postgres", "--"));
        command.add(bin.resolve(tool).toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile("tollgate-pg-" + tool, ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).directory(Path.of("/tmp").toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(tool + " did not finish in 120 s: " + Files.readString(out));
        }
        String text = Files.readString(out);
        Files.deleteIfExists(out);
        if (p.exitValue() != 0) throw new IllegalStateException(String.join(" ", command) + " failed (" + p.exitValue() + "):\n" + text);
    }

    /** Stops the cluster (as a crash: nothing to keep) and deletes its directory. */
    @Override
    public void close() {
        try {
            stop("immediate");
        } catch (Exception e) {
            // already stopped
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: /tmp is cleaned anyway
        }
    }
}
