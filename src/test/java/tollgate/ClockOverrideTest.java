package tollgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code TOLLGATE_CLOCK_START}: a rehearsal's clock, allowed only with {@code TOLLGATE_ALLOW_CLOCK_OVERRIDE=true}. */
class ClockOverrideTest {
    private static final Clock SYSTEM = Clock.fixed(Instant.parse("2026-06-15T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void withoutTheVariableTheServerKeepsTheClockItWasGiven() {
        assertThat(Config.clock(Map.of(), SYSTEM)).isSameAs(SYSTEM);
        assertThat(Config.clock(Map.of("TOLLGATE_CLOCK_START", " "), SYSTEM)).isSameAs(SYSTEM);
    }

    @Test
    void theClockStartsAtTheGivenInstantAndTicksWithTheOneBelow() {
        Clock moved = Config.clock(Map.of("TOLLGATE_CLOCK_START", "2026-06-30T23:59:50Z", "TOLLGATE_ALLOW_CLOCK_OVERRIDE", "true"), SYSTEM);
        assertThat(moved.instant()).isEqualTo(Instant.parse("2026-06-30T23:59:50Z"));
        Clock ticking = Clock.offset(SYSTEM, java.time.Duration.ofSeconds(15));
        // The offset is taken once, at start: the moved clock then follows the one it was made from.
        Clock movedTicking = Config.clock(Map.of("TOLLGATE_CLOCK_START", "2026-06-30T23:59:50Z", "TOLLGATE_ALLOW_CLOCK_OVERRIDE", "true"), ticking);
        assertThat(movedTicking.instant()).isEqualTo(Instant.parse("2026-06-30T23:59:50Z"));
    }

    @Test
    void withoutTheSecondVariableOrWithAMalformedInstantTheStartIsRefused() {
        assertThatThrownBy(() -> Config.clock(Map.of("TOLLGATE_CLOCK_START", "2026-06-30T23:59:50Z"), SYSTEM))
                .hasMessageContaining("TOLLGATE_ALLOW_CLOCK_OVERRIDE=true");
        assertThatThrownBy(() -> Config.clock(Map.of("TOLLGATE_CLOCK_START", "2026-06-30T23:59:50Z", "TOLLGATE_ALLOW_CLOCK_OVERRIDE", "yes"), SYSTEM))
                .hasMessageContaining("TOLLGATE_ALLOW_CLOCK_OVERRIDE=true");
        assertThatThrownBy(() -> Config.clock(Map.of("TOLLGATE_CLOCK_START", "June 30th", "TOLLGATE_ALLOW_CLOCK_OVERRIDE", "true"), SYSTEM))
                .hasMessageContaining("ISO-8601");
    }
}
