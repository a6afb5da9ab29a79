package tollgate.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

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
