package tollgate.licensing;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import tollgate.licensing.SiteCheck.Snapshot;

/**
 * The validation cache: key hash → license snapshot (or "no such key"), read from the database at most once
 * per {@code ttlNanos} and never written to it. A change made by this process forgets the entry after its
 * commit; other processes see it within the TTL. Bounded: when full, it starts over.
 */
public final class LicenseDirectory {
    private record Entry(Snapshot snapshot, long loadedAt) {}

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final int maxEntries;

    public LicenseDirectory(long ttlNanos, int maxEntries) {
        this.ttlNanos = ttlNanos;
        this.maxEntries = maxEntries;
    }

    public Optional<Snapshot> lookup(String keyHash, Function<String, Optional<Snapshot>> load) {
        long now = System.nanoTime();
        Entry e = entries.get(keyHash);
        if (e == null || now - e.loadedAt() > ttlNanos) {
            e = new Entry(load.apply(keyHash).orElse(null), now);
            if (entries.size() >= maxEntries) entries.clear();
            entries.put(keyHash, e);
        }
        return Optional.ofNullable(e.snapshot());
    }

    public void forget(String keyHash) {
        entries.remove(keyHash);
    }
}
