package tollgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings read from the environment, each refused at start, by name, when it is not what the README says. */
class ConfigTest {
    @Test
    void theSettingsThatCountTakeWholeNumbersOnly() {
        // Read as doubles, 1e3 was 1000 seconds of lease, though the message said "whole number".
        for (String v : List.of("1e3", "600.0", "0x1p10", "+600", "6 00", "99999999999")) {
            assertThatThrownBy(() -> Config.liveLease(Map.of("TOLLGATE_LIVE_LEASE_SECONDS", v))).as(v)
                    .hasMessage("TOLLGATE_LIVE_LEASE_SECONDS must be a whole number from 5 to 86400, not '" + v + "'");
            assertThatThrownBy(() -> Config.liveBatch(Map.of("TOLLGATE_LIVE_BATCH", v))).as(v)
                    .hasMessage("TOLLGATE_LIVE_BATCH must be a whole number from 1 to 5000, not '" + v + "'");
            assertThatThrownBy(() -> Config.apiConcurrency(Map.of("TOLLGATE_API_CONCURRENCY", v), 16)).as(v)
                    .hasMessage("TOLLGATE_API_CONCURRENCY must be a whole number from 1 to 16, not '" + v + "'");
            for (String name : List.of("TOLLGATE_VALIDATE_CACHE_SECONDS", "TOLLGATE_TEST_CLOCK_ADVANCES_PER_MINUTE"))
                assertThatThrownBy(() -> Config.fromEnvironment(Map.of(name, v))).as(name + "=" + v)
                        .hasMessage(name + " must be a whole number of at least 1, not '" + v + "'");
        }
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("TOLLGATE_VALIDATE_CACHE_SECONDS", "0.5")))
                .hasMessageContaining("whole number"); // was cut to 0
        assertThatThrownBy(() -> Config.liveLease(Map.of("TOLLGATE_LIVE_LEASE_SECONDS", "4"))).hasMessageContaining("from 5 to 86400");
        assertThat(Config.liveLease(Map.of("TOLLGATE_LIVE_LEASE_SECONDS", " 1000 "))).hasSeconds(1000);
        assertThat(Config.liveLease(Map.of())).hasSeconds(600);
        assertThat(Config.liveBatch(Map.of("TOLLGATE_LIVE_BATCH", "5000"))).isEqualTo(5000);
        assertThat(Config.apiConcurrency(Map.of(), 16)).isEqualTo(8);
        Config c = Config.fromEnvironment(Map.of("TOLLGATE_VALIDATE_CACHE_SECONDS", "30", "TOLLGATE_TEST_CLOCK_ADVANCES_PER_MINUTE", "7",
                "TOLLGATE_SITE_RATE_PER_KEY", "0.5"));
        assertThat(c.siteLimits()).isEqualTo(new Config.SiteLimits(0.5, 200, 30)); // a rate may be a fraction
        assertThat(c.testClockAdvancesPerMinute()).isEqualTo(7);
    }
}
