package tollgate.core;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/** {@link RateLimiter#perName}: a bucket per name in a bounded Caffeine cache. */
final class PerNameRateLimiter extends RateLimiter {
    private final Cache<Object, TokenBucket> byName;

    PerNameRateLimiter(double perSecond, double burst, int maxBuckets) {
        super(perSecond, burst);
        long refillNanos = (long) Math.ceil(burst / perSecond * 1e9);
        this.byName = Caffeine.newBuilder()
                .maximumSize(maxBuckets)
                .expireAfterAccess(java.time.Duration.ofNanos(Math.max(refillNanos, 1_000_000_000L)))
                .executor(Runnable::run) // evictions on the caller's thread: no task per request
                .build();
    }

    @Override
    long acquire(Object name, long now) {
        long[] wait = {0};
        byName.asMap().compute(name, (k, b) -> {
            if (b == null) b = new TokenBucket(burst, now);
            wait[0] = b.take(now, perSecond, burst);
            return b;
        });
        return wait[0];
    }

    @Override
    public long size() {
        byName.cleanUp();
        return byName.estimatedSize();
    }
}
