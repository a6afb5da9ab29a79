package tollgate.licensing;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import tollgate.licensing.SiteCheck.Snapshot;

/**
 * The validation cache: key hash → license snapshot (or "no such key"), never written to the database.
 * An entry stays until its license changes: this process forgets it after its own commits, and
 * {@link #forgetChanged} (polled every second) forgets what other processes changed. Because a change's
 * number is taken before its commit, a poll re-reads the numbers of the poll before last; a change that
 * commits later still is caught by the entry's maximum age. Bounded: when full, it starts over.
 */
public final class LicenseDirectory {
    private record Entry(Snapshot snapshot, long loadedAt) {}

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final long maxAgeNanos;
    private final int maxEntries;
    private long seen = -1;
    private long seenBefore = -1;

    public LicenseDirectory(long maxAgeNanos, int maxEntries) {
        this.maxAgeNanos = maxAgeNanos;
        this.maxEntries = maxEntries;
    }

    public Optional<Snapshot> lookup(String keyHash, Function<String, Optional<Snapshot>> load) {
        long now = System.nanoTime();
        Entry e = entries.get(keyHash);
        if (e == null || now - e.loadedAt() > maxAgeNanos) {
            e = new Entry(load.apply(keyHash).orElse(null), now);
            if (entries.size() >= maxEntries) entries.clear();
            entries.put(keyHash, e);
        }
        return Optional.ofNullable(e.snapshot());
    }

    public void forget(String keyHash) {
        entries.remove(keyHash);
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
            page.keyHashes().forEach(entries::remove);
            from = page.newest();
            top = Math.max(top, from);
        } while (page.keyHashes().size() == PAGE);
        seenBefore = seen;
        seen = top;
    }

    /** How many changes one read of {@code changesSince} answers at most. */
    public static final int PAGE = 10_000;
}
