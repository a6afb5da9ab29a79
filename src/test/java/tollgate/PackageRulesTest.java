package tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Rules of the package layout, read from the sources (decision 031): one class per simple name, domain packages free
 * of Jackson (the API's JSON is built in {@code api/}), and no import cycle between packages.
 */
class PackageRulesTest {
    private static final Path MAIN = Path.of("src/main/java/tollgate");
    /** Packages that are not a capability's domain: the HTTP layer, the command line, benchmarks, the shared kernel. */
    private static final Set<String> NOT_DOMAIN = Set.of("api", "cli", "bench", "core");
    /**
     * Domain files that still import Jackson, each for a reason other than the API's JSON: the event log and its
     * records are JSON by nature (an event's data is a JSON tree written by api's mapper, handed over by the wiring;
     * the webhook envelope embeds the stored text raw). Stores read their JSON columns and idempotency sorts request
     * bodies through {@code core.Json}, so they need no Jackson of their own.
     */
    private static final Set<String> JACKSON_ALLOWED = Set.of("events/Event.java", "events/EventStore.java", "events/EventLog.java");
    /** Import edges inside a cycle that other work removes; empty when there is none. */
    private static final Set<String> CYCLE_EDGES_ALLOWED = Set.of();

    @Test
    void noTwoMainClassesShareASimpleName() {
        Map<String, List<String>> byName = new TreeMap<>();
        for (Path p : sources()) byName.computeIfAbsent(p.getFileName().toString(), k -> new ArrayList<>()).add(MAIN.relativize(p).toString());
        Map<String, List<String>> twice = new TreeMap<>();
        byName.forEach((name, files) -> {
            if (files.size() > 1) twice.put(name, files);
        });
        assertThat(twice).as("classes of one simple name").isEmpty();
    }

    @Test
    void domainPackagesDoNotImportJackson() {
        Set<String> offenders = new TreeSet<>();
        Set<String> stillThere = new HashSet<>();
        for (Path p : sources()) {
            String rel = MAIN.relativize(p).toString().replace('\\', '/');
            if (!rel.contains("/") || NOT_DOMAIN.contains(packageOf(rel))) continue;
            if (!read(p).contains("com.fasterxml.jackson")) continue;
            if (JACKSON_ALLOWED.contains(rel)) stillThere.add(rel);
            else offenders.add(rel);
        }
        assertThat(offenders).as("domain files importing Jackson (the API's JSON is built in api/)").isEmpty();
        // A file that no longer needs Jackson leaves the list, so the list stays the truth.
        assertThat(new TreeSet<>(JACKSON_ALLOWED)).as("allowed files that no longer import Jackson").containsExactlyElementsOf(new TreeSet<>(stillThere));
    }

    @Test
    void noImportCycleBetweenPackages() {
        Map<String, Set<String>> graph = packageGraph();
        Set<String> inCycles = new TreeSet<>();
        for (var e : graph.entrySet())
            for (String to : e.getValue())
                if (reachable(graph, to).contains(e.getKey())) inCycles.add(e.getKey() + " -> " + to);
        inCycles.removeAll(CYCLE_EDGES_ALLOWED);
        assertThat(inCycles).as("package dependencies that close a cycle").isEmpty();
    }

    /** Package → the packages its code names (imports and full names alike, comments aside); the root is "tollgate". */
    static Map<String, Set<String>> packageGraph() {
        Pattern ref = Pattern.compile("\\btollgate\\.(?:([a-z]+)\\.)?[A-Z]");
        Map<String, Set<String>> graph = new HashMap<>();
        for (Path p : sources()) {
            String rel = MAIN.relativize(p).toString().replace('\\', '/');
            String from = rel.contains("/") ? packageOf(rel) : "tollgate";
            for (String line : read(p).split("\n")) {
                String s = line.strip();
                if (s.startsWith("*") || s.startsWith("//") || s.startsWith("/*") || s.startsWith("package ")) continue;
                Matcher m = ref.matcher(line);
                while (m.find()) {
                    String to = m.group(1) == null ? "tollgate" : m.group(1);
                    if (!to.equals(from)) graph.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
                }
            }
        }
        return graph;
    }

    private static Set<String> reachable(Map<String, Set<String>> graph, String from) {
        Set<String> seen = new HashSet<>();
        List<String> todo = new ArrayList<>(List.of(from));
        while (!todo.isEmpty()) {
            String n = todo.removeLast();
            for (String m : graph.getOrDefault(n, Set.of())) if (seen.add(m)) todo.add(m);
        }
        return seen;
    }

    private static String packageOf(String rel) {
        return rel.substring(0, rel.indexOf('/'));
    }

    private static List<Path> sources() {
        try (Stream<Path> s = Files.walk(MAIN)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
