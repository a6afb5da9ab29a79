package tollgate.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tollgate.cli.Cli;
import tollgate.core.ProcStat;

/**
 * {@code tollgate serve} as a process of its own (the crash, several-node and database tests): on a database URL, with
 * its clock started at a chosen instant ({@code TOLLGATE_CLOCK_START}), killed with SIGKILL or stopped with SIGTERM.
 * Its output goes to a log file of its own, named in every failure.
 */
public final class ServerProcess implements AutoCloseable {
    public static final String ENCRYPTION_KEY = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    private static final Pattern LISTENING = Pattern.compile("Tollgate is listening on (http://\\S+)");

    private final Process process;
    public final Path log;
    private String base;

    private ServerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts a server on {@code databaseUrl} whose clock starts at {@code clockStart}; answers at once (see {@link #awaitListening}). */
    public static ServerProcess launch(String databaseUrl, Instant clockStart, Path dir, String name) throws IOException {
        return launch(databaseUrl, clockStart, dir, name, Map.of(), SMALL_JVM);
    }

    /** The JVM options of {@link #launch}: a small heap and the quick JIT only (many processes start on 2 cores). */
    public static final List<String> SMALL_JVM = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1");

    /**
     * The same, with {@code extraEnv} added to the variables above (replacing those of the same name: e.g. the production
     * batch and lease) and the JVM started with {@code jvmOptions} (the server under load: the full JIT).
     */
    public static ServerProcess launch(String databaseUrl, Instant clockStart, Path dir, String name, Map<String, String> extraEnv,
                                       List<String> jvmOptions) throws IOException {
        Files.createDirectories(dir);
        Map<String, String> env = new HashMap<>(Map.of("TOLLGATE_PORT", Integer.toString(freePort()),
                "TOLLGATE_DATA_DIR", dir.resolve(name + "-data").toString(), "TOLLGATE_DATABASE_URL", databaseUrl,
                "TOLLGATE_ENCRYPTION_KEY", ENCRYPTION_KEY));
        env.putAll(clockAt(clockStart));
        // Small claims, so that a month-end of a few hundred accounts is shared by several nodes and a kill meets many batches.
        env.put("TOLLGATE_LIVE_BATCH", "25");
        // A kill between a first charge's written attempt and its recorded answer leaves the rows leased: taken up again
        // after 10 s here, not the default 10 minutes, so that a test's month-end finishes while it waits.
        env.put("TOLLGATE_LIVE_LEASE_SECONDS", "10");
        env.putAll(extraEnv);
        return start(dir.resolve(name + ".log"), env, jvmOptions, false);
    }

    /**
     * A newcomer's {@code serve} on the embedded database: none of this JVM's {@code TOLLGATE_*} variables inherited (so
     * no database URL or key), the data kept in {@code dataDir}, listening on {@code port}, with {@code extraEnv} added
     * and its output in {@code log}.
     */
    public static ServerProcess launchEmbedded(Path dataDir, int port, Map<String, String> extraEnv, Path log) throws IOException {
        Map<String, String> env = new HashMap<>(Map.of("TOLLGATE_DATA_DIR", dataDir.toString(), "TOLLGATE_PORT", Integer.toString(port)));
        env.putAll(extraEnv);
        return start(log, env, SMALL_JVM, true);
    }

    /** The variables that start a server's clock at {@code start} (and let its test clocks be moved). */
    public static Map<String, String> clockAt(Instant start) {
        return Map.of("TOLLGATE_CLOCK_START", start.toString(), "TOLLGATE_ALLOW_CLOCK_OVERRIDE", "true");
    }

    private static ServerProcess start(Path log, Map<String, String> env, List<String> jvmOptions, boolean clean) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Cli.class.getName(), "serve"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        if (clean) builder.environment().keySet().removeIf(variable -> variable.startsWith("TOLLGATE_"));
        builder.environment().putAll(env);
        return new ServerProcess(builder.start(), log);
    }

    public static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            return free.getLocalPort();
        }
    }

    /** The server's address once it listens (its log says so); fails, with the log, when it does not start in time. */
    public String awaitListening(Duration within) throws Exception {
        Matcher m = LISTENING.matcher(awaitOutput(LISTENING.pattern(), within));
        if (!m.find()) throw new AssertionError("the server did not start; see " + log + ":\n" + tail());
        return base = m.group(1).replace("localhost", "127.0.0.1");
    }

    /** The output so far once a line matches {@code regex}; fails, with the log, when none does in time. */
    public String awaitOutput(String regex, Duration within) throws Exception {
        Pattern wanted = Pattern.compile(regex);
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            String out = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            if (wanted.matcher(out).find()) return out;
            Thread.sleep(20);
        }
        throw new AssertionError("no /" + regex + "/ in the output; see " + log + ":\n" + tail());
    }

    public String base() {
        return base;
    }

    /** The process's id (to read its CPU time from {@code /proc}). */
    public long pid() {
        return process.pid();
    }

    /** CPU seconds the process has used so far (user + system, from {@code /proc/PID/stat}; Linux only), or -1. */
    public double cpuSeconds() {
        try {
            return ProcStat.read(Path.of("/proc", Long.toString(process.pid()), "stat")).map(s -> s.cpuMillis() / 1000.0).orElse(-1.0);
        } catch (RuntimeException garbled) {
            return -1;
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no drain, nothing flushed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then the exit status. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            throw new AssertionError("the server did not stop within 60 s of SIGTERM; see " + log);
        }
        return process.exitValue();
    }

    /** One counter of {@code /metrics} (summed over its tags), or 0 when absent. */
    public double metric(String name) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        double sum = 0;
        for (String line : r.body().split("\n"))
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        return sum;
    }

    /** The last lines of the log, for a failure's message. */
    public String tail() {
        try {
            String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            return text.length() > 6000 ? "…" + text.substring(text.length() - 6000) : text;
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    public Optional<String> logText() throws IOException {
        return Files.exists(log) ? Optional.of(Files.readString(log, StandardCharsets.UTF_8)) : Optional.empty();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
}
