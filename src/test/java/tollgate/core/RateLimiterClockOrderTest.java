package tollgate.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Decision 057: requests racing for one bucket may reach it in another order than they read the clock. A late thread's
 * earlier instant must neither refill nor drain the bucket (it used to refill by a negative time: 429s under load).
 */
class RateLimiterClockOrderTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void anEarlierInstantAfterALaterOneTakesOneTokenAndNoMore() {
        RateLimiter limiter = new RateLimiter(100_000, 200_000, 10);
        long t = 1_000 * SECOND;
        assertThat(limiter.acquire("key", t)).isZero();
        assertThat(limiter.acquire("key", t + 3 * SECOND)).isZero();
        // A thread that read the clock 3 s earlier arrives now: before, this refilled by -300,000 tokens and refused.
        assertThat(limiter.acquire("key", t)).isZero();
        assertThat(limiter.acquire("key", t + 3 * SECOND)).isZero();
    }

    @Test
    void theBucketStillEmptiesAndRefillsWithTime() {
        RateLimiter limiter = new RateLimiter(1, 2, 10);
        long t = 1_000 * SECOND;
        assertThat(limiter.acquire("key", t)).isZero();
        assertThat(limiter.acquire("key", t)).isZero();
        assertThat(limiter.acquire("key", t)).isEqualTo(1);
        assertThat(limiter.acquire("key", t - SECOND)).as("an earlier instant does not refill").isEqualTo(1);
        assertThat(limiter.acquire("key", t + SECOND)).isZero();
    }
}
