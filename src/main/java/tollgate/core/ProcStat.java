package tollgate.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * A process's or a thread's name and the CPU it has used so far, as Linux's {@code /proc/PID/stat} or
 * {@code /proc/PID/task/TID/stat} gives them, and the machine's idle time from {@code /proc/stat}: for the benchmarks
 * and the tests that measure CPU.
 *
 * @param cpuMillis its own user and system time ({@code utime}, {@code stime})
 * @param endedChildrenMillis the user and system time of its children that have ended and been waited for
 *     ({@code cutime}, {@code cstime}): a PostgreSQL server's postmaster gathers its ended backends' CPU there
 */
public record ProcStat(String name, long cpuMillis, long endedChildrenMillis) {

    /** Clock ticks a second of the times in {@code /proc} ({@code USER_HZ}, 100 on Linux). */
    private static final int TICKS_PER_SECOND = 100;

    /** {@code stat} read, or empty when the process or thread has ended, or this is not Linux; a garbled file throws. */
    public static Optional<ProcStat> read(Path stat) {
        String line;
        try {
            line = Files.readString(stat);
        } catch (IOException gone) {
            return Optional.empty();
        }
        return Optional.of(parse(line));
    }

    /**
     * Every process ({@code /proc}) or thread ({@code /proc/PID/task}) listed in {@code dir}, read: one that ended
     * meanwhile is left out.
     */
    public static Stream<ProcStat> listedIn(Path dir) throws IOException {
        List<Path> entries;
        try (Stream<Path> listed = Files.list(dir)) {
            entries = listed.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList();
        }
        return entries.stream().flatMap(p -> read(p.resolve("stat")).stream());
    }

    /**
     * The CPU every process named {@code name} has used so far, its ended children's included, in milliseconds: for a
     * local PostgreSQL server (all its processes are named {@code postgres}) the difference of two readings is what the
     * server used between them, backends that ended meanwhile included. Empty when none runs or this is not Linux.
     */
    public static OptionalLong processesNamed(String name) {
        try {
            var found = listedIn(Path.of("/proc")).filter(s -> s.name().equals(name))
                    .mapToLong(s -> s.cpuMillis() + s.endedChildrenMillis()).summaryStatistics();
            return found.getCount() == 0 ? OptionalLong.empty() : OptionalLong.of(found.getSum());
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * The time the machine's cores have been idle or waiting for I/O so far, summed over the cores, in milliseconds,
     * and the number of cores: empty off Linux. In a container with a CPU quota these are the host's cores.
     */
    public static Optional<Idle> idle() {
        try {
            return Optional.of(Idle.parse(Files.readString(Path.of("/proc/stat"))));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** What {@link #idle} read. */
    public record Idle(long millis, int cores) {

        /** {@code /proc/stat}: its first line {@code cpu user nice system idle iowait …}, then a line per core. */
        static Idle parse(String procStat) {
            String[] lines = procStat.split("\n");
            String[] all = lines[0].trim().split(" +");
            if (!all[0].equals("cpu")) throw new IllegalArgumentException("not /proc/stat: " + lines[0]);
            int cores = (int) java.util.Arrays.stream(lines).filter(l -> l.matches("cpu[0-9]+ .*")).count();
            return new Idle((Long.parseLong(all[4]) + Long.parseLong(all[5])) * 1000 / TICKS_PER_SECOND, cores);
        }
    }

    /**
     * One {@code stat} line: the name is between the first {@code (} and the last {@code )} (it may hold either);
     * {@code utime}, {@code stime}, {@code cutime} and {@code cstime} are fields 14 to 17 of proc(5), the 12th to 15th
     * after the name.
     */
    static ProcStat parse(String stat) {
        int open = stat.indexOf('('), close = stat.lastIndexOf(')');
        String[] fields = stat.substring(close + 2).split(" ");
        long own = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        long children = Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
        return new ProcStat(stat.substring(open + 1, close), own * 1000 / TICKS_PER_SECOND, children * 1000 / TICKS_PER_SECOND);
    }
}
