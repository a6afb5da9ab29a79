package tollgate.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Decision 050: a running sum keeps what had settled an hour before the view and reads what came after; it answers
 * what one read of every row would, and each view reads only the stretch since the kept part's end.
 */
class RunningSumsTest {
    record Row(Instant at, String currency, long amount) {}

    final List<Row> rows = new ArrayList<>();
    /** The stretches read, as [from, to]. */
    final List<Instant[]> reads = new ArrayList<>();

    /** Rows stamped from {@code from} (inclusive; null: the first) to {@code to} (exclusive). */
    Map<String, Long> read(Instant from, Instant to) {
        reads.add(new Instant[] {from, to});
        Map<String, Long> out = new TreeMap<>();
        for (Row r : rows)
            if ((from == null || !r.at().isBefore(from)) && r.at().isBefore(to)) out.merge(r.currency(), r.amount(), Long::sum);
        return out;
    }

    static final Instant START = Instant.parse("2030-06-01T00:00:00Z");

    @Test
    void keepsTheSettledPartAndReadsOnlyTheLastHour() {
        RunningSums sums = new RunningSums();
        rows.add(new Row(START.plusSeconds(10), "usd", 500));
        rows.add(new Row(START.plus(Duration.ofDays(2)), "eur", 70));
        Instant asOf = START.plus(Duration.ofDays(3));

        assertThat(sums.sum("tnt_a", "collected", START, asOf, asOf.plusNanos(1000), this::read)).containsExactly(Map.entry("eur", 70L),
                Map.entry("usd", 500L));
        // the first view reads up to the settled instant and then the last hour
        assertThat(reads).hasSize(2);
        assertThat(reads.get(0)).containsExactly(START, asOf.minus(Duration.ofHours(1)));

        // ten minutes later: a payment 20 minutes ago, and one stamped now
        rows.add(new Row(asOf.plus(Duration.ofMinutes(-20)), "usd", 3));
        Instant later = asOf.plus(Duration.ofMinutes(10));
        rows.add(new Row(later, "usd", 4));
        reads.clear();
        assertThat(sums.sum("tnt_a", "collected", START, later, later.plusNanos(1000), this::read)).containsExactly(Map.entry("eur", 70L),
                Map.entry("usd", 507L));
        // the ten minutes that settled since, then the last hour: nothing before the kept part's end is read again
        assertThat(reads).hasSize(2);
        assertThat(reads.get(0)).containsExactly(asOf.minus(Duration.ofHours(1)), later.minus(Duration.ofHours(1)));
        assertThat(reads.get(1)).containsExactly(later.minus(Duration.ofHours(1)), later.plusNanos(1000));

        // another tenant, and another start, keep their own
        reads.clear();
        sums.sum("tnt_b", "collected", START, later, later.plusNanos(1000), this::read);
        sums.sum("tnt_a", "collected", START.plus(Duration.ofDays(1)), later, later.plusNanos(1000), this::read);
        assertThat(reads.get(0)[0]).isEqualTo(START);
        assertThat(reads.get(2)[0]).isEqualTo(START.plus(Duration.ofDays(1)));
    }

    @Test
    void aStartWithinTheLastHourIsReadWholeAndAnEndAlreadySettledIsRefused() {
        RunningSums sums = new RunningSums();
        Instant asOf = START.plus(Duration.ofMinutes(30));
        rows.add(new Row(START.plus(Duration.ofMinutes(5)), "usd", 9));
        assertThat(sums.sum("tnt_a", "collected", START, asOf, asOf.plusNanos(1000), this::read)).containsExactly(Map.entry("usd", 9L));
        assertThat(reads).hasSize(1);
        assertThat(reads.get(0)).containsExactly(START, asOf.plusNanos(1000));
        assertThatThrownBy(() -> sums.sum("tnt_a", "collected", null, asOf, START.minus(Duration.ofHours(2)), this::read))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void randomRowsAndViewsAnswerWhatOneReadOfEveryRowWould() {
        long seed = System.nanoTime();
        System.out.println("RunningSumsTest seed " + seed);
        Random random = new Random(seed);
        RunningSums sums = new RunningSums();
        Instant now = START;
        for (int view = 0; view < 200; view++) {
            // rows are stamped at the clock (never earlier); the clock moves by minutes to days
            for (int k = random.nextInt(4); k > 0; k--) rows.add(new Row(now, random.nextBoolean() ? "usd" : "eur", 1 + random.nextInt(1000)));
            now = now.plusSeconds(random.nextInt(random.nextBoolean() ? 600 : 200_000));
            Instant to = now.plusNanos(1000);
            Map<String, Long> kept = sums.sum("tnt_a", "collected", null, now, to, this::read);
            assertThat(kept).as("seed %d, view %d", seed, view).isEqualTo(read(null, to));
        }
    }
}
