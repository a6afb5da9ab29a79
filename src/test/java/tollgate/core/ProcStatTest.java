package tollgate.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcStatTest {

    @Test
    void readsTheNameAndUserPlusSystemTimeEvenWhenTheNameHoldsSpacesAndParentheses() {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime …
        String stat = "4242 (C2 CompilerThre) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 56 7 8 20 0 30 0";
        assertThat(ProcStat.parse(stat)).isEqualTo(new ProcStat("C2 CompilerThre", 12_900));
        assertThat(ProcStat.parse("7 (a) b) (c) R 1 7 7 0 -1 0 0 0 0 0 3 4 0 0").name()).isEqualTo("a) b) (c");
        assertThat(ProcStat.parse("7 (a) b) (c) R 1 7 7 0 -1 0 0 0 0 0 3 4 0 0").cpuMillis()).isEqualTo(70);
    }

    @Test
    void aGoneOrGarbledFileReadsAsNothing(@TempDir Path dir) throws Exception {
        assertThat(ProcStat.read(dir.resolve("missing"))).isEmpty();
        Files.writeString(dir.resolve("stat"), "not a stat line");
        assertThat(ProcStat.read(dir.resolve("stat"))).isEmpty();
    }

    @Test
    void thisProcessHasUsedSomeCpuOnLinux() {
        Path self = Path.of("/proc/self/stat");
        if (!Files.exists(self)) return; // not Linux: nothing to read
        assertThat(ProcStat.read(self)).hasValueSatisfying(s -> assertThat(s.cpuMillis()).isPositive());
    }

    @Test
    void whatProcessesUsedSinceCountsNewOnesFromNothingAndEndedOnesNotAtAll() {
        var before = java.util.Map.of(1L, 500L, 2L, 700L, 3L, 40L);
        var after = java.util.Map.of(1L, 800L, 3L, 40L, 4L, 90L); // 2 ended, 4 started
        assertThat(ProcStat.usedSince(before, after)).isEqualTo(300 + 0 + 90);
    }

    @Test
    void onLinuxThisProcessIsFoundByItsNameAndTheMachineHasCoresAndIdleTime() throws Exception {
        Path self = Path.of("/proc/self/stat");
        if (!Files.exists(self)) return; // not Linux: nothing to read
        ProcStat me = ProcStat.read(self).orElseThrow();
        assertThat(ProcStat.processesNamed(me.name())).containsKey(ProcessHandle.current().pid());
        assertThat(ProcStat.processesNamed("no process has this name")).isEmpty();
        assertThat(ProcStat.cores()).isPositive();
        assertThat(ProcStat.idleMillis()).isNotNegative();
    }
}
