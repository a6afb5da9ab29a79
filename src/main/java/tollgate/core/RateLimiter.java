package tollgate.core;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A token bucket per name (a license key's hash, a client address, a tenant): {@code perSecond} tokens a second, at
 * most {@code burst} saved up. In memory, per process, and bounded so that a flood of distinct names cannot grow it. Two
 * ways to bound it:
 * <ul>
 *   <li>{@link #RateLimiter(double, double, int) one bucket per name}: at most {@code maxBuckets} names are kept (Caffeine
 *   evicts the least useful, and a bucket idle long enough to have refilled is dropped); a name evicted meanwhile starts
 *   again with a full bucket.</li>
 *   <li>{@link #hashed a fixed table}: names hash into {@code slots} buckets that are made once and never dropped, so a
 *   request allocates nothing. Names that share a slot share its limit (decision 082): for names nobody can choose to
 *   collide with (a license key's hash, mixed with a per-process seed) in a large table, that is as good as one each.</li>
 * </ul>
 */
public final class RateLimiter {
    /** Mutable, guarded by the map's per-entry lock or by its own monitor. */
    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }

        /**
         * Refills for the time since the last take and takes a token: 0 when allowed, else the whole seconds to wait.
         * Requests racing for one bucket may reach it in another order than they read the clock (a thread descheduled
         * between the two, which a loaded machine does for seconds): an earlier {@code now} adds nothing and takes nothing
         * back. Before, it refilled by a negative time, and at 100,000 a second one thread late by a few milliseconds
         * emptied a bucket that was full (429s at 1,000 requests/s, decision 057).
         */
        long take(long now, double perSecond, double burst) {
            if (now > at) {
                tokens = Math.min(burst, tokens + (now - at) / 1e9 * perSecond);
                at = now;
            }
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond));
        }
    }

    private final double perSecond;
    private final double burst;
    /** One bucket per name, or null for a fixed table. */
    private final Cache<Object, Bucket> byName;
    /** The fixed table, or null for one bucket per name. */
    private final AtomicReferenceArray<Bucket> slots;
    /** Keys the slots' hash, so that which names share a slot differs from process to process. */
    private final long seed;

    /** One bucket per name, at most {@code maxBuckets} kept. */
    public RateLimiter(double perSecond, double burst, int maxBuckets) {
        this(perSecond, burst, Caffeine.newBuilder()
                .maximumSize(maxBuckets)
                .expireAfterAccess(java.time.Duration.ofNanos(Math.max(refillNanos(perSecond, burst), 1_000_000_000L)))
                .executor(Runnable::run) // evictions on the caller's thread: no task per request
                .build(), null, 0);
    }

    private RateLimiter(double perSecond, double burst, Cache<Object, Bucket> byName, AtomicReferenceArray<Bucket> slots, long seed) {
        if (perSecond <= 0 || burst < 1) throw new IllegalArgumentException("a rate limit needs a positive rate and a burst of at least 1");
        this.perSecond = perSecond;
        this.burst = burst;
        this.byName = byName;
        this.slots = slots;
        this.seed = seed;
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
    static RateLimiter hashed(double perSecond, double burst, int slots, long seed) {
        if (slots < 1) throw new IllegalArgumentException("a table of buckets needs at least one slot");
        return new RateLimiter(perSecond, burst, null, new AtomicReferenceArray<>(slots), seed);
    }

    /**
     * The slot of {@code name}: every character mixed into a 64-bit state that starts at the seed. Mixing the seed into
     * {@code String.hashCode()} instead would keep that hash's collisions in every process, and anyone holding a
     * key's hash could search offline for another key whose hash collides with it, then keep that key's slot empty.
     */
    int slotOf(Object name) {
        String text = name.toString();
        long h = seed;
        for (int i = 0; i < text.length(); i++) {
            h = (h ^ text.charAt(i)) * 0x9E3779B97F4A7C15L;
            h ^= h >>> 29;
        }
        h ^= h >>> 32;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 31;
        return (int) Math.floorMod(h, (long) slots.length());
    }

    private static long refillNanos(double perSecond, double burst) {
        return (long) Math.ceil(burst / perSecond * 1e9);
    }

    /** Takes a token: answers 0 when allowed, else the whole seconds to wait before one is available. */
    public long acquire(Object name) {
        return acquire(name, System.nanoTime());
    }

    /** {@link #acquire} at {@code now}. */
    long acquire(Object name, long now) {
        if (slots == null) {
            long[] wait = {0};
            byName.asMap().compute(name, (k, b) -> {
                if (b == null) b = new Bucket(burst, now);
                wait[0] = b.take(now, perSecond, burst);
                return b;
            });
            return wait[0];
        }
        int slot = slotOf(name);
        Bucket b = slots.get(slot);
        if (b == null) {
            slots.compareAndSet(slot, null, new Bucket(burst, now));
            b = slots.get(slot);
        }
        synchronized (b) {
            return b.take(now, perSecond, burst);
        }
    }

    /** How many buckets are held now (after pending evictions): for tests of the bound. */
    public long size() {
        if (slots == null) {
            byName.cleanUp();
            return byName.estimatedSize();
        }
        long used = 0;
        for (int i = 0; i < slots.length(); i++) if (slots.get(i) != null) used++;
        return used;
    }
}
