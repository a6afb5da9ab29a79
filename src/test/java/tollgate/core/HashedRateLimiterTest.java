package tollgate.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Decision 082: the per-key limiter of the sites' checks is a fixed table of buckets, so that a high rate of keys coming
 * back every few seconds allocates nothing per check (its short-lived buckets were what the collector copied at every
 * young collection, and the validate benchmark's p99 was those pauses). The seeds here are fixed, so that which names
 * share a slot is the same at every run.
 */
class HashedRateLimiterTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long SEED = 0x5EED_0001L;

    @Test
    void eachNameInItsOwnSlotKeepsItsOwnBurst() {
        HashedRateLimiter limiter = RateLimiter.hashed(1, 2, 1_000_000, SEED);
        Set<Integer> slots = new HashSet<>();
        for (int i = 0; i < 100; i++) slots.add(limiter.slotOf("name" + i));
        assertThat(slots).as("100 names, 100 slots of a million (this seed)").hasSize(100);
        long t = 1_000 * SECOND;
        for (int i = 0; i < 100; i++) {
            assertThat(limiter.acquire("name" + i, t)).isZero();
            assertThat(limiter.acquire("name" + i, t)).isZero();
        }
        for (int i = 0; i < 100; i++) assertThat(limiter.acquire("name" + i, t)).as("name%d's third", i).isEqualTo(1);
        assertThat(limiter.acquire("name0", t + SECOND)).isZero();
    }

    @Test
    void namesInOneSlotShareItsLimit() {
        RateLimiter limiter = RateLimiter.hashed(1, 2, 1, SEED);
        long t = 1_000 * SECOND;
        assertThat(limiter.acquire("a", t)).isZero();
        assertThat(limiter.acquire("b", t)).isZero();
        assertThat(limiter.acquire("c", t)).as("a third name in the only slot").isEqualTo(1);
        assertThat(limiter.acquire("a", t + SECOND)).isZero();
    }

    @Test
    void whichNamesShareASlotDependsOnTheSeedNotOnStringHashCode() {
        // "Aa" and "BB" have the same String.hashCode(): a slot derived from it would put them together in every process.
        assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
        HashedRateLimiter limiter = RateLimiter.hashed(1, 2, 1_000_000, SEED);
        assertThat(limiter.slotOf("Aa")).isNotEqualTo(limiter.slotOf("BB"));
        // A name that shares the victim's slot under one seed does not under another.
        HashedRateLimiter small = RateLimiter.hashed(1, 2, 1_000, SEED);
        String partner = null;
        for (int i = 0; partner == null; i++) if (small.slotOf("key" + i) == small.slotOf("victim")) partner = "key" + i;
        HashedRateLimiter otherProcess = RateLimiter.hashed(1, 2, 1_000, SEED + 1);
        assertThat(otherProcess.slotOf(partner)).isNotEqualTo(otherProcess.slotOf("victim"));
    }

    @Test
    void aCheckOfANameSeenBeforeAllocatesNothing() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        String[] names = new String[1_000];
        for (int i = 0; i < names.length; i++) names[i] = "key-" + i;
        RateLimiter hashed = RateLimiter.hashed(1_000_000, 2_000_000, 1_000_000);
        RateLimiter perName = RateLimiter.perName(1_000_000, 2_000_000, 1_000_000);
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
