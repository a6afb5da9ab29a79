package tollgate.core;

/**
 * A token bucket per name (a license key's hash, a client address, a tenant): {@code perSecond} tokens a second, at
 * most {@code burst} saved up. In memory, per process, and bounded so that a flood of distinct names cannot grow it. Two
 * ways to bound it:
 * <ul>
 *   <li>{@link #perName one bucket per name}, at most so many kept (Caffeine evicts the least useful, and a bucket idle
 *   long enough to have refilled is dropped); a name evicted meanwhile starts again with a full bucket.</li>
 *   <li>{@link #hashed a fixed table}: names hash into so many buckets that are made once and never dropped, so a
 *   request allocates nothing. Names that share a slot share its limit (decision 082): for names nobody can choose to
 *   collide with (a license key's hash, mixed with a per-process seed) in a large table, that is as good as one each.</li>
 * </ul>
 */
public abstract sealed class RateLimiter permits PerNameRateLimiter, HashedRateLimiter {
    final double perSecond;
    final double burst;

    RateLimiter(double perSecond, double burst) {
        if (perSecond <= 0 || burst < 1) throw new IllegalArgumentException("a rate limit needs a positive rate and a burst of at least 1");
        this.perSecond = perSecond;
        this.burst = burst;
    }

    /** One bucket per name, at most {@code maxBuckets} kept: for names a caller can choose (addresses, tenants). */
    public static RateLimiter perName(double perSecond, double burst, int maxBuckets) {
        return new PerNameRateLimiter(perSecond, burst, maxBuckets);
    }

    /**
     * Names hashed into a fixed table of {@code slots} buckets, each made on its first use and kept. Nothing is allocated
     * per request once a slot is in use, so a high rate of names that come back every few seconds leaves nothing for the
     * collector to copy (decision 082). The hash is seeded per process: which names share a slot cannot be worked out
     * beforehand.
     */
    public static RateLimiter hashed(double perSecond, double burst, int slots) {
        return hashed(perSecond, burst, slots, new java.security.SecureRandom().nextLong());
    }

    /** {@link #hashed} with a seed of the caller's: tests that need to know which names share a slot. */
    static HashedRateLimiter hashed(double perSecond, double burst, int slots, long seed) {
        return new HashedRateLimiter(perSecond, burst, slots, seed);
    }

    /** Takes a token: answers 0 when allowed, else the whole seconds to wait before one is available. */
    public long acquire(Object name) {
        return acquire(name, System.nanoTime());
    }

    /** {@link #acquire} at {@code now}. */
    abstract long acquire(Object name, long now);

    /** How many buckets are held now (after pending evictions): for tests of the bound. */
    public abstract long size();
}
