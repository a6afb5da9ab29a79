package tollgate.core;

import java.util.concurrent.atomic.AtomicReferenceArray;

/** {@link RateLimiter#hashed}: a fixed table of buckets that names hash into with a per-process seed. */
final class HashedRateLimiter extends RateLimiter {
    private final AtomicReferenceArray<TokenBucket> slots;
    /** Keys the slots' hash, so that which names share a slot differs from process to process. */
    private final long seed;

    HashedRateLimiter(double perSecond, double burst, int slots, long seed) {
        super(perSecond, burst);
        if (slots < 1) throw new IllegalArgumentException("a table of buckets needs at least one slot");
        this.slots = new AtomicReferenceArray<>(slots);
        this.seed = seed;
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

    @Override
    long acquire(Object name, long now) {
        int slot = slotOf(name);
        TokenBucket b = slots.get(slot);
        if (b == null) {
            slots.compareAndSet(slot, null, new TokenBucket(burst, now));
            b = slots.get(slot);
        }
        synchronized (b) {
            return b.take(now, perSecond, burst);
        }
    }

    @Override
    public long size() {
        long used = 0;
        for (int i = 0; i < slots.length(); i++) if (slots.get(i) != null) used++;
        return used;
    }
}
