package tollgate.licensing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Decision 047: what validation notes in memory, and what the worker's flush takes, on a hand-moved ticker. */
class SiteChecksTest {
    private final AtomicLong nanos = new AtomicLong(1_000);
    private final SiteChecks checks = new SiteChecks(nanos::get, 1_000);

    private void after(long minutes) {
        nanos.addAndGet(TimeUnit.MINUTES.toNanos(minutes));
    }

    @Test
    void aLicenseIsNotedOnceAnHourAndTheFlushTakesThemGroupedByTenant() {
        for (int i = 0; i < 1_000; i++) checks.checked("tnt_a", "lic_1");
        checks.checked("tnt_b", "lic_9");
        checks.checked("tnt_a", "lic_2");
        assertThat(checks.waiting()).isEqualTo(3);
        assertThat(checks.drain()).isEqualTo(Map.of("tnt_a", List.of("lic_1", "lic_2"), "tnt_b", List.of("lic_9")));
        assertThat(checks.drain()).isEmpty();

        // 59 minutes later: still within the hour, nothing noted; at 60 minutes the next check is noted again.
        after(59);
        checks.checked("tnt_a", "lic_1");
        assertThat(checks.waiting()).isZero();
        after(1);
        checks.checked("tnt_a", "lic_1");
        checks.checked("tnt_a", "lic_1");
        assertThat(checks.drain()).isEqualTo(Map.of("tnt_a", List.of("lic_1")));
    }

    @Test
    void whatAFailedWriteHeldIsPutBackForTheNextFlush() {
        checks.checked("tnt_a", "lic_1");
        checks.checked("tnt_a", "lic_2");
        Map<String, List<String>> taken = checks.drain();
        checks.putBack("tnt_a", taken.get("tnt_a"));
        assertThat(checks.drain()).isEqualTo(Map.of("tnt_a", List.of("lic_1", "lic_2")));
    }
}
