package tollgate.licensing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import tollgate.licensing.SiteCheck.Snapshot;

/**
 * The validation cache: key hash → license snapshot, never written to the database. An entry stays until its license
 * changes: this process forgets it after its own commits, and {@link #forgetChanged} (polled every second) forgets what
 * other processes changed. Because a change's number is taken before its commit, a poll re-reads the numbers of the
 * poll before last; a change that commits later still is caught by the entry's maximum age.
 * <p>
 * Bounded with real eviction (Caffeine): a full cache drops its least useful entries, not everything at once. Keys
 * that name no license ("not found") are kept in a small cache of their own, so a flood of random well-formed keys
 * evicts only other misses, never a real site's entry (decision 032).
 */
public final class LicenseDirectory {
    /** How many "not found" answers are kept at most when nothing else is said. */
    public static final int DEFAULT_MAX_MISSES = 50_000;

    private final Cache<String, Snapshot> found;
    private final Cache<String, Boolean> missing;
    private long seen = -1;
    private long seenBefore = -1;

    public LicenseDirectory(long maxAgeNanos, int maxEntries) {
        this(maxAgeNanos, maxEntries, Math.min(maxEntries, DEFAULT_MAX_MISSES));
    }

    public LicenseDirectory(long maxAgeNanos, int maxEntries, int maxMisses) {
        java.time.Duration maxAge = java.time.Duration.ofNanos(maxAgeNanos);
        // Maintenance on the caller's thread: no executor task per lookup on the hot path.
        this.found = Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(maxAge).executor(Runnable::run).build();
        this.missing = Caffeine.newBuilder().maximumSize(maxMisses).expireAfterWrite(maxAge).executor(Runnable::run).build();
    }

    public Optional<Snapshot> lookup(String keyHash, Function<String, Optional<Snapshot>> load) {
        Snapshot hit = found.getIfPresent(keyHash);
        if (hit != null) return Optional.of(hit);
        if (missing.getIfPresent(keyHash) != null) return Optional.empty();
        // Loaded under the entry's lock, the miss noted there too: a forget() during the load waits for it and then
        // removes what it loaded, found or missing.
        return Optional.ofNullable(found.get(keyHash, h -> {
            Snapshot loaded = load.apply(h).orElse(null);
            if (loaded == null) missing.put(h, Boolean.TRUE);
            return loaded;
        }));
    }

    /** How many licenses and how many "not found" answers are held now: for tests of the bounds. */
    long[] sizes() {
        found.cleanUp();
        missing.cleanUp();
        return new long[] {found.estimatedSize(), missing.estimatedSize()};
    }

    public void forget(String keyHash) {
        found.invalidate(keyHash);
        missing.invalidate(keyHash);
    }

    /**
     * One poll: forgets every key changed since the poll before last. {@code changesSince} reads a page of
     * changes after a version from the database; {@code newest} answers the newest version there is.
     */
    public synchronized void forgetChanged(LongFunction<LicenseStore.Changes> changesSince, LongSupplier newest) {
        if (seen < 0) {
            // The first poll: nothing was cached before this process started, so only the high-water mark matters.
            seen = seenBefore = newest.getAsLong();
            return;
        }
        long from = seenBefore;
        long top = seen;
        LicenseStore.Changes page;
        do {
            page = changesSince.apply(from);
            page.keyHashes().forEach(this::forget);
            from = page.newest();
            top = Math.max(top, from);
        } while (page.keyHashes().size() == PAGE);
        seenBefore = seen;
        seen = top;
    }

    /** How many changes one read of {@code changesSince} answers at most. */
    public static final int PAGE = 10_000;
}
