package tollgate.core;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per name (a license key, a client address): {@code perSecond} tokens a second, at most
 * {@code burst} saved up. In memory, per process; idle buckets are dropped when the map grows large.
 */
public final class RateLimiter {
    private record Bucket(double tokens, long at) {}

    private final double perSecond;
    private final double burst;
    private final int maxBuckets;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(double perSecond, double burst, int maxBuckets) {
        if (perSecond <= 0 || burst < 1) throw new IllegalArgumentException("a rate limit needs a positive rate and a burst of at least 1");
        this.perSecond = perSecond;
        this.burst = burst;
        this.maxBuckets = maxBuckets;
    }

    /** Takes a token: answers 0 when allowed, else the whole seconds to wait before one is available. */
    public long acquire(String name) {
        long now = System.nanoTime();
        if (buckets.size() > maxBuckets) dropFull(now);
        long[] wait = {0};
        buckets.compute(name, (k, b) -> {
            double tokens = b == null ? burst : Math.min(burst, b.tokens() + (now - b.at()) / 1e9 * perSecond);
            if (tokens >= 1) return new Bucket(tokens - 1, now);
            wait[0] = Math.max(1, (long) Math.ceil((1 - tokens) / perSecond));
            return new Bucket(tokens, now);
        });
        return wait[0];
    }

    /** Buckets that have refilled completely carry no state worth keeping. */
    private void dropFull(long now) {
        buckets.entrySet().removeIf(e -> e.getValue().tokens() + (now - e.getValue().at()) / 1e9 * perSecond >= burst);
    }
}
