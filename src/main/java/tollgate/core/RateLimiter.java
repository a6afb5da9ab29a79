package tollgate.core;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * A token bucket per name (a license key's hash, a client address, a tenant): {@code perSecond} tokens a second, at
 * most {@code burst} saved up. In memory, per process. Bounded: at most {@code maxBuckets} names are kept (Caffeine
 * evicts the least useful, and a bucket idle long enough to have refilled is dropped), so a flood of distinct names
 * cannot grow it; a name evicted meanwhile starts again with a full bucket.
 */
public final class RateLimiter {
    /** Mutable, guarded by the map's per-entry lock in {@link #acquire}. */
    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }

    private final double perSecond;
    private final double burst;
    private final Cache<Object, Bucket> buckets;

    public RateLimiter(double perSecond, double burst, int maxBuckets) {
        if (perSecond <= 0 || burst < 1) throw new IllegalArgumentException("a rate limit needs a positive rate and a burst of at least 1");
        this.perSecond = perSecond;
        this.burst = burst;
        long refillNanos = (long) Math.ceil(burst / perSecond * 1e9);
        this.buckets = Caffeine.newBuilder()
                .maximumSize(maxBuckets)
                .expireAfterAccess(java.time.Duration.ofNanos(Math.max(refillNanos, 1_000_000_000L)))
                .executor(Runnable::run) // evictions on the caller's thread: no task per request
                .build();
    }

    /** Takes a token: answers 0 when allowed, else the whole seconds to wait before one is available. */
    public long acquire(Object name) {
        return acquire(name, System.nanoTime());
    }

    /**
     * {@link #acquire} at {@code now}. Requests racing for one name may reach the bucket in another order than they read
     * the clock (a thread descheduled between the two, which a loaded machine does for seconds): an earlier {@code now}
     * adds nothing and takes nothing back. Before, it refilled by a negative time, and at 100,000 a second one thread
     * late by a few milliseconds emptied a bucket that was full (429s at 1,000 requests/s, decision 057).
     */
    long acquire(Object name, long now) {
        long[] wait = {0};
        buckets.asMap().compute(name, (k, b) -> {
            if (b == null) b = new Bucket(burst, now);
            else if (now > b.at) {
                b.tokens = Math.min(burst, b.tokens + (now - b.at) / 1e9 * perSecond);
                b.at = now;
            }
            if (b.tokens >= 1) b.tokens -= 1;
            else wait[0] = Math.max(1, (long) Math.ceil((1 - b.tokens) / perSecond));
            return b;
        });
        return wait[0];
    }

    /** How many names are held now (after pending evictions): for tests of the bound. */
    public long size() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }
}
