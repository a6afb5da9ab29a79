package tollgate.licensing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import tollgate.core.RateLimiter;
import tollgate.licensing.SiteCheck.Snapshot;

/**
 * Issue 15: anonymous callers cannot flush the validation cache. Random well-formed keys ("not found") are kept apart
 * from real licenses, a full cache evicts some entries instead of clearing itself, and the sites' limiter is bounded.
 */
class ValidationCacheBoundsTest {
    private static final long HOUR = 3_600_000_000_000L;

    private static Function<String, Optional<Snapshot>> licenses(AtomicInteger loads) {
        return hash -> {
            loads.incrementAndGet();
            return hash.startsWith("real") ? Optional.of(new Snapshot("ten", "lic_" + hash, "acct", "plan", LicenseStatus.ASSIGNED, "https://a.example"))
                    : Optional.empty();
        };
    }

    @Test
    void aFloodOfUnknownKeysDoesNotEvictRealOnes() {
        LicenseDirectory directory = new LicenseDirectory(HOUR, 100, 10);
        AtomicInteger loads = new AtomicInteger();
        for (int i = 0; i < 50; i++) assertThat(directory.lookup("real" + i, licenses(loads))).isPresent();
        for (int i = 0; i < 10_000; i++) assertThat(directory.lookup("random" + i, licenses(loads))).isEmpty();
        assertThat(directory.sizes()[1]).as("misses are bounded by their own size").isLessThanOrEqualTo(10);
        loads.set(0);
        for (int i = 0; i < 50; i++) assertThat(directory.lookup("real" + i, licenses(loads))).isPresent();
        assertThat(loads).as("every real site still answered from the cache").hasValue(0);
    }

    @Test
    void aFullCacheEvictsSomeEntriesNotAll() {
        LicenseDirectory directory = new LicenseDirectory(HOUR, 1_000, 10);
        AtomicInteger loads = new AtomicInteger();
        for (int round = 0; round < 3; round++) for (int i = 0; i < 1_000; i++) directory.lookup("real" + i, licenses(loads));
        assertThat(loads).as("loaded once each, then answered from the cache").hasValue(1_000);
        for (int i = 1_000; i < 1_100; i++) directory.lookup("real" + i, licenses(loads));
        assertThat(directory.sizes()[0]).isLessThanOrEqualTo(1_000);
        loads.set(0);
        for (int i = 0; i < 1_000; i++) directory.lookup("real" + i, licenses(loads));
        // Clearing the whole cache when full (the old behaviour) sent all 1,000 back to the database.
        assertThat(loads.get()).as("reloaded after 100 newcomers").isLessThanOrEqualTo(200);
    }

    @Test
    void aKeyIssuedAfterItsMissIsFoundOnceForgotten() {
        LicenseDirectory directory = new LicenseDirectory(HOUR, 100, 10);
        AtomicInteger loads = new AtomicInteger();
        assertThat(directory.lookup("random1", licenses(loads))).isEmpty();
        assertThat(directory.lookup("random1", licenses(loads))).isEmpty();
        assertThat(loads).hasValue(1);
        directory.forget("random1");
        assertThat(directory.lookup("random1", licenses(loads))).isEmpty();
        assertThat(loads).hasValue(2);
    }

    @Test
    void theLimiterKeepsABoundedNumberOfBuckets() {
        RateLimiter limiter = RateLimiter.perName(1, 2, 100);
        for (int i = 0; i < 10_000; i++) assertThat(limiter.acquire("name" + i)).isZero();
        assertThat(limiter.size()).isLessThanOrEqualTo(100);
        // Still a limiter: one name's burst is two.
        assertThat(limiter.acquire("x")).isZero();
        assertThat(limiter.acquire("x")).isZero();
        assertThat(limiter.acquire("x")).isEqualTo(1);
    }
}
