package tollgate.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Decision 057: requests racing for one bucket may reach it in another order than they read the clock. A late thread's
 * earlier instant must neither refill nor drain the bucket (it used to refill by a negative time: 429s under load). Both
 * kinds of limiter: one bucket per name, and the fixed table (decision 082).
 */
class RateLimiterClockOrderTest {
    private static final long SECOND = 1_000_000_000L;

    static List<String> kinds() {
        return List.of("per name", "hashed");
    }

    private static RateLimiter limiter(String kind, double perSecond, double burst) {
        return kind.equals("hashed") ? RateLimiter.hashed(perSecond, burst, 10) : RateLimiter.perName(perSecond, burst, 10);
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void anEarlierInstantAfterALaterOneTakesOneTokenAndNoMore(String kind) {
        RateLimiter limiter = limiter(kind, 100_000, 200_000);
        long t = 1_000 * SECOND;
        assertThat(limiter.acquire("key", t)).isZero();
        assertThat(limiter.acquire("key", t + 3 * SECOND)).isZero();
        // A thread that read the clock 3 s earlier arrives now: before, this refilled by -300,000 tokens and refused.
        assertThat(limiter.acquire("key", t)).isZero();
        assertThat(limiter.acquire("key", t + 3 * SECOND)).isZero();
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void theBucketStillEmptiesAndRefillsWithTime(String kind) {
        RateLimiter limiter = limiter(kind, 1, 2);
        long t = 1_000 * SECOND;
        assertThat(limiter.acquire("key", t)).isZero();
        assertThat(limiter.acquire("key", t)).isZero();
        assertThat(limiter.acquire("key", t)).isEqualTo(1);
        assertThat(limiter.acquire("key", t - SECOND)).as("an earlier instant does not refill").isEqualTo(1);
        assertThat(limiter.acquire("key", t + SECOND)).isZero();
    }
}
