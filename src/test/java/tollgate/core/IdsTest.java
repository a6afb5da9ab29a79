package tollgate.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdsTest {
    @Test
    void idsArePrefixedLowerCaseBase36AndDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            String id = Ids.next("il");
            assertThat(id).matches("il_[0-9a-z]{22}");
            assertThat(seen.add(id)).as(id).isTrue();
        }
    }

    @Test
    void theLowRandomDigitsTakeEveryValue() {
        // A millisecond's first id draws all twelve digits; the ids after it in the same millisecond step up by a random
        // amount below 2^32 (> 36^6): their last six digits still see all 36 values each.
        int[][] counts = new int[6][36];
        for (int i = 0; i < 20_000; i++) {
            String id = Ids.next("x");
            for (int p = 0; p < 6; p++) counts[p][Character.digit(id.charAt(2 + 16 + p), 36)]++;
        }
        for (int p = 0; p < 6; p++)
            for (int d = 0; d < 36; d++) assertThat(counts[p][d]).as("position %d digit %d", p, d).isBetween(400, 720);
    }

    @Test
    void eachIdSortsAfterTheOneMadeBeforeItInTheProcessAlsoInOneMillisecond() throws Exception {
        String last = Ids.next("x");
        int sameMillisecond = 0;
        for (int i = 0; i < 200_000; i++) {
            String id = Ids.next("x");
            assertThat(id).as("after %s", last).isGreaterThan(last);
            if (id.regionMatches(0, last, 0, 12)) sameMillisecond++;
            last = id;
        }
        assertThat(sameMillisecond).as("ids made in the same millisecond (what was random before)").isGreaterThan(1_000);
        // From several threads at once, each thread's ids still go up, and none repeats.
        java.util.concurrent.ConcurrentHashMap<String, Boolean> all = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicReference<String> wrong = new java.util.concurrent.atomic.AtomicReference<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                String before = "";
                for (int i = 0; i < 50_000; i++) {
                    String id = Ids.next("x");
                    if (id.compareTo(before) <= 0 || all.put(id, Boolean.TRUE) != null) wrong.set(before + " then " + id);
                    before = id;
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) thread.join();
        assertThat(wrong.get()).isNull();
        assertThat(all).hasSize(200_000);
    }
}
