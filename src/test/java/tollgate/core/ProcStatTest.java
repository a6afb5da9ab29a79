package tollgate.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcStatTest {

    @Test
    void readsTheNameAndTheTimesEvenWhenTheNameHoldsSpacesAndParentheses() {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime …
        String stat = "4242 (C2 CompilerThre) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 56 7 8 20 0 30 0";
        assertThat(ProcStat.parse(stat)).isEqualTo(new ProcStat("C2 CompilerThre", 12_900, 150));
        assertThat(ProcStat.parse("7 (a) b) (c) R 1 7 7 0 -1 0 0 0 0 0 3 4 5 6 0 0")).isEqualTo(new ProcStat("a) b) (c", 70, 110));
    }

    @Test
    void aGoneFileReadsAsNothingAndAGarbledOneIsAnError(@TempDir Path dir) throws Exception {
        assertThat(ProcStat.read(dir.resolve("missing"))).isEmpty();
        Files.writeString(dir.resolve("stat"), "not a stat line");
        assertThatThrownBy(() -> ProcStat.read(dir.resolve("stat"))).isInstanceOf(RuntimeException.class);
    }

    @Test
    void aListingReadsTheNumberedEntriesThatStillHaveAStat(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("12"));
        Files.writeString(dir.resolve("12/stat"), "12 (postgres) S 1 12 12 0 -1 0 0 0 0 0 30 20 0 0 20 0 1 0");
        Files.createDirectories(dir.resolve("13")); // ended: its stat is gone
        Files.createDirectories(dir.resolve("self"));
        Files.writeString(dir.resolve("self/stat"), "not a process's number");
        assertThat(ProcStat.listedIn(dir).toList()).containsExactly(new ProcStat("postgres", 500, 0));
    }

    @Test
    void theIdleTimeIsIdlePlusIoWaitSummedOverTheCoresWhichAreCountedOneLineEach() {
        String procStat = """
                cpu  10 20 30 4000 50 6 7 0 0 0
                cpu0 5 10 15 2000 25 3 3 0 0 0
                cpu1 5 10 15 2000 25 3 4 0 0 0
                intr 12345
                ctxt 678
                """;
        assertThat(ProcStat.Idle.parse(procStat)).isEqualTo(new ProcStat.Idle(40_500, 2));
        assertThatThrownBy(() -> ProcStat.Idle.parse("intr 1\n")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onLinuxThisProcessIsFoundByItsNameAndTheMachineHasCores() {
        Path self = Path.of("/proc/self/stat");
        assumeTrue(Files.exists(self), "Linux only: /proc");
        ProcStat me = ProcStat.read(self).orElseThrow();
        assertThat(ProcStat.processesNamed(me.name()).orElseThrow()).isGreaterThanOrEqualTo(me.cpuMillis());
        assertThat(ProcStat.processesNamed("no process has this name")).isEmpty();
        assertThat(ProcStat.idle()).hasValueSatisfying(idle -> assertThat(idle.cores()).isPositive());
    }
}
