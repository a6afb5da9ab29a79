package tollgate.core;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sums of rows stamped from an instant on, kept as they settle (decision 050): for rows stamped with the tenant's clock
 * when written and never re-dated or deleted, what was stamped before {@code asOf - }{@link SettledMonths#SETTLE} can
 * no longer change. So the sum from {@code from} to {@code asOf} is a kept sum up to a settled instant plus a read of
 * what came after it; the next view reads only the rows stamped since the kept one's end, and adds the part that has
 * settled since. Exact by that rule: what is returned is what one read of every row from {@code from} would return.
 *
 * <p>The reader ({@link Reader}) answers key → sum for the rows stamped in a stretch; consecutive stretches must not
 * overlap nor leave a gap (stamp {@code >= from and < to}, or {@code > from and <= to}, the same for every read).
 */
public final class RunningSums {
    private static final int MAX_ENTRIES = 10_000;

    /** Key → sum of the rows stamped in the stretch from {@code from} to {@code to}; {@code from == null}: from the first row. */
    @FunctionalInterface
    public interface Reader {
        Map<String, Long> read(Instant from, Instant to);
    }

    private record Key(String tenantId, String figure, Instant from) {}

    /** What is kept: the sums of the rows stamped from the key's {@code from} up to {@code upTo}, which had settled. */
    private record Kept(Instant upTo, Map<String, Long> sums) {}

    private final Map<Key, Kept> kept = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Kept> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    /**
     * Key → sum of the rows of {@code figure} stamped from {@code from} ({@code null}: from the first) up to {@code to},
     * where {@code to} is not before {@code asOf - SETTLE}: the kept part up to a settled instant and a read of the rest.
     * The first call for a figure and {@code from} reads everything once.
     */
    public Map<String, Long> sum(String tenantId, String figure, Instant from, Instant asOf, Instant to, Reader reader) {
        Instant settled = asOf.minus(SettledMonths.SETTLE);
        if (to.isBefore(settled)) throw new IllegalArgumentException("a running sum reads up to an instant not yet settled");
        if (from != null && !settled.isAfter(from)) return add(Map.of(), reader.read(from, to));
        Key key = new Key(tenantId, figure, from);
        Kept before = get(key);
        Kept now;
        if (before == null || before.upTo().isAfter(settled)) {
            now = new Kept(settled, reader.read(from, settled));
        } else {
            now = before.upTo().equals(settled) ? before : new Kept(settled, add(before.sums(), reader.read(before.upTo(), settled)));
        }
        put(key, now);
        return add(now.sums(), reader.read(settled, to));
    }

    private synchronized Kept get(Key key) {
        return kept.get(key);
    }

    private synchronized void put(Key key, Kept value) {
        Kept current = kept.get(key);
        if (current == null || !current.upTo().isAfter(value.upTo())) kept.put(key, value);
    }

    /** The two summed, keys in order (as a reader's sorted answer would be). */
    private static Map<String, Long> add(Map<String, Long> a, Map<String, Long> b) {
        TreeMap<String, Long> out = new TreeMap<>(a);
        b.forEach((k, v) -> out.merge(k, v, Long::sum));
        return Collections.unmodifiableSortedMap(out);
    }
}
