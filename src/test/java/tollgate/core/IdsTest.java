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
    void everyRandomDigitTakesEveryValue() {
        // The twelve random digits come from one draw: each position still sees all 36 digits.
        int[][] counts = new int[12][36];
        for (int i = 0; i < 20_000; i++) {
            String id = Ids.next("x");
            for (int p = 0; p < 12; p++) counts[p][Character.digit(id.charAt(2 + 10 + p), 36)]++;
        }
        for (int p = 0; p < 12; p++)
            for (int d = 0; d < 36; d++) assertThat(counts[p][d]).as("position %d digit %d", p, d).isBetween(400, 720);
    }
}
