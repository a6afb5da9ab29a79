package tollgate.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Decision 050: months over for an hour come from memory, the rest are asked again; the answer is the same. */
class SettledMonthsTest {
    /** A figure of 100 × the month's number in usd, plus 7 in eur in March only; records which months were asked. */
    final List<List<YearMonth>> asked = new ArrayList<>();

    Map<String, long[]> figure(MonthBuckets months) {
        asked.add(months.months());
        Map<String, long[]> out = new TreeMap<>();
        for (int i = 0; i < months.months().size(); i++) {
            YearMonth m = months.months().get(i);
            out.computeIfAbsent("usd", c -> new long[months.months().size()])[i] = 100L * m.getMonthValue();
            if (m.getMonthValue() == 3) out.computeIfAbsent("eur", c -> new long[months.months().size()])[i] = 7;
        }
        return out;
    }

    @Test
    void settledMonthsAreAskedOnceAndTheOpenMonthEveryTime() {
        SettledMonths settled = new SettledMonths();
        MonthBuckets months = MonthBuckets.lastMonths(Instant.parse("2030-06-12T10:00:00Z"), 4);
        Map<String, long[]> first = settled.monthly("tnt_a", months, this::figure);
        Map<String, long[]> second = settled.monthly("tnt_a", months, this::figure);

        assertThat(asked).containsExactly(List.of(YearMonth.of(2030, 3), YearMonth.of(2030, 4), YearMonth.of(2030, 5), YearMonth.of(2030, 6)),
                List.of(YearMonth.of(2030, 6)));
        assertThat(first.keySet()).containsExactly("eur", "usd");
        assertThat(second.get("usd")).containsExactly(300, 400, 500, 600);
        assertThat(second.get("eur")).containsExactly(7, 0, 0, 0);
        // another tenant has nothing kept
        settled.monthly("tnt_b", months, this::figure);
        assertThat(asked).hasSize(3);
        assertThat(asked.get(2)).hasSize(4);
    }

    @Test
    void aMonthOverForLessThanAnHourIsStillAskedAndOneAheadOfWhatIsKeptAsksEveryMonthAgain() {
        SettledMonths settled = new SettledMonths();
        MonthBuckets early = MonthBuckets.lastMonths(Instant.parse("2030-06-01T00:59:59Z"), 3);
        settled.monthly("tnt_a", early, this::figure);
        settled.monthly("tnt_a", early, this::figure);
        // April is settled; May ended 59 minutes 59 seconds ago and is asked again with June
        assertThat(asked.get(1)).containsExactly(YearMonth.of(2030, 5), YearMonth.of(2030, 6));

        MonthBuckets later = MonthBuckets.lastMonths(Instant.parse("2030-06-01T01:00:00Z"), 3);
        Map<String, long[]> all = settled.monthly("tnt_a", later, this::figure);
        // May is now settled but not kept yet: every month is asked at once, then May is kept
        assertThat(asked.get(2)).hasSize(3);
        settled.monthly("tnt_a", later, this::figure);
        assertThat(asked.get(3)).containsExactly(YearMonth.of(2030, 6));
        assertThat(all.get("usd")).containsExactly(400, 500, 600);
    }
}
