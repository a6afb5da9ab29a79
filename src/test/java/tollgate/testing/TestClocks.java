package tollgate.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The "real time" of the test run: a clock that ticks like the system's but starts at a chosen instant, so no
 * test depends on the day it runs. Every server the tests build takes it (live tenants read it, test tenants'
 * clocks start at it). The start is {@value #DEFAULT_START} unless {@code -Dtollgate.test.now=<instant>} says
 * otherwise; {@code bin/test-at} runs the date-sensitive tests at the 1st, the 4th, February 29th, the 31st…
 */
public final class TestClocks {
    public static final String DEFAULT_START = "2026-06-15T12:00:00Z";
    /** The instant the run's clock started at. */
    public static final Instant START = Instant.parse(System.getProperty("tollgate.test.now", DEFAULT_START));
    /** The run's system clock: START plus the real time elapsed since the tests began. */
    public static final Clock SYSTEM = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), START));

    static {
        System.out.println("Tests run with the system clock starting at " + START + " (-Dtollgate.test.now)");
    }

    private TestClocks() {
    }

    /** Now, by the run's clock. */
    public static Instant now() {
        return SYSTEM.instant();
    }
}
