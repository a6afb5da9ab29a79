package tollgate.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Decision 082: the per-key limiter of the sites' checks is a fixed table of buckets, so that a high rate of keys coming
 * back every few seconds allocates nothing per check (its short-lived buckets were what the collector copied at every
 * young collection, and the validate benchmark's p99 was those pauses).
 */
class HashedRateLimiterTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void eachNameKeepsItsOwnBurstAndTheTableNeverGrows() {
        RateLimiter limiter = RateLimiter.hashed(1, 2, 1_000_000);
        long t = 1_000 * SECOND;
        for (int i = 0; i < 1_000; i++) assertThat(limiter.acquire("name" + i, t)).isZero();
        assertThat(limiter.acquire("x", t)).isZero();
        assertThat(limiter.acquire("x", t)).isZero();
        assertThat(limiter.acquire("x", t)).isEqualTo(1);
        RateLimiter small = RateLimiter.hashed(1, 2, 100);
        for (int i = 0; i < 10_000; i++) small.acquire("name" + i, t);
        assertThat(small.size()).isLessThanOrEqualTo(100);
    }

    @Test
    void namesInOneSlotShareItsLimit() {
        RateLimiter limiter = RateLimiter.hashed(1, 2, 1);
        long t = 1_000 * SECOND;
        assertThat(limiter.acquire("a", t)).isZero();
        assertThat(limiter.acquire("b", t)).isZero();
        assertThat(limiter.acquire("c", t)).as("a third name in the only slot").isEqualTo(1);
        assertThat(limiter.acquire("a", t + SECOND)).isZero();
    }

    @Test
    void aCheckOfANameSeenBeforeAllocatesNothing() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        String[] names = new String[1_000];
        for (int i = 0; i < names.length; i++) names[i] = "key-" + i;
        RateLimiter hashed = RateLimiter.hashed(1_000_000, 2_000_000, 1_000_000);
        RateLimiter perName = new RateLimiter(1_000_000, 2_000_000, 1_000_000);
        long hashedBytes = 0, perNameBytes = 0;
        for (int round = 0; round < 20; round++) { // the first rounds make the buckets and let the JIT settle
            long before = threads.getCurrentThreadAllocatedBytes();
            for (String name : names) hashed.acquire(name);
            long between = threads.getCurrentThreadAllocatedBytes();
            for (String name : names) perName.acquire(name);
            long after = threads.getCurrentThreadAllocatedBytes();
            hashedBytes = between - before;
            perNameBytes = after - between;
        }
        System.out.println("bytes allocated by 1,000 checks of names seen before: hashed " + hashedBytes + ", per name " + perNameBytes);
        assertThat(hashedBytes).isLessThan(1_000);
        assertThat(perNameBytes).as("the per-name limiter, for comparison").isGreaterThan(10_000);
    }
}
