package tollgate.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A process's or a thread's name and the CPU it has used so far, as Linux's {@code /proc/PID/stat} or
 * {@code /proc/PID/task/TID/stat} gives them: for the benchmarks and the tests that measure CPU.
 */
public record ProcStat(String name, long cpuMillis) {

    /** Clock ticks a second of {@code utime} and {@code stime} ({@code USER_HZ}, 100 on Linux). */
    private static final int TICKS_PER_SECOND = 100;

    /** {@code stat} read, or empty when the process or thread has ended, or this is not Linux. */
    public static Optional<ProcStat> read(Path stat) {
        try {
            return Optional.of(parse(Files.readString(stat)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The CPU each running process named {@code name} has used so far, in milliseconds by process id (empty when none
     * runs or this is not Linux): a local PostgreSQL server's processes are all named {@code postgres}.
     */
    public static Map<Long, Long> processesNamed(String name) {
        Map<Long, Long> cpu = new HashMap<>();
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .forEach(p -> read(p.resolve("stat")).filter(s -> s.name().equals(name))
                            .ifPresent(s -> cpu.put(Long.parseLong(p.getFileName().toString()), s.cpuMillis())));
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return cpu;
    }

    /**
     * CPU the processes in {@code after} used since {@code before} was taken, in milliseconds: one that started
     * meanwhile counts from nothing; one that ended meanwhile took its time with it, so this may count low.
     */
    public static long usedSince(Map<Long, Long> before, Map<Long, Long> after) {
        return after.entrySet().stream().mapToLong(e -> e.getValue() - before.getOrDefault(e.getKey(), 0L)).sum();
    }

    /** The machine's idle time so far, summed over its cores, in milliseconds ({@code /proc/stat}), or -1. */
    public static long idleMillis() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/stat"))) {
            String[] cpu = lines.findFirst().orElseThrow().trim().split(" +"); // cpu user nice system idle …
            return Long.parseLong(cpu[4]) * 1000 / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The cores {@code /proc/stat} counts ({@code cpu0}, {@code cpu1}, …), or -1. */
    public static int cores() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/stat"))) {
            return (int) lines.filter(l -> l.matches("cpu[0-9]+ .*")).count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * One {@code stat} line: the name is between the first {@code (} and the last {@code )} (it may hold either);
     * {@code utime} and {@code stime} are the 12th and 13th fields after it.
     */
    static ProcStat parse(String stat) {
        int open = stat.indexOf('('), close = stat.lastIndexOf(')');
        String[] fields = stat.substring(close + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return new ProcStat(stat.substring(open + 1, close), ticks * 1000 / TICKS_PER_SECOND);
    }
}
