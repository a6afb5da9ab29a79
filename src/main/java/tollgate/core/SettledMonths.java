package tollgate.core;

import java.time.Duration;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Per-month figures of months that are over, kept in memory (decision 050). For a figure whose rows are stamped with the
 * tenant's clock when written and never re-dated or deleted (payments received, licenses issued and revoked), a month
 * that ended a while ago — {@link #SETTLE}, far longer than any transaction that stamps a row — can no longer change:
 * its figure is read once and kept, and each later view reads only the months still open. Exact by that rule, not
 * approximately: what is returned is what the same query over every month would return.
 */
public final class SettledMonths {
    /** How long after a month's end (on the tenant's clock) its figure is taken as final. */
    public static final Duration SETTLE = Duration.ofHours(1);
    private static final int MAX_ENTRIES = 50_000;

    private record Key(String tenantId, YearMonth month) {}

    /** Month → currency → its non-zero figure; least recently used first, so the oldest go when the map is full. */
    private final Map<Key, Map<String, Long>> settled = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Map<String, Long>> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    /**
     * Currency → one figure per month of {@code months}, as {@code compute} answers for any run of consecutive months
     * ending with the last of {@code months} (at its {@code asOf}). The settled months come from memory when all are
     * there; otherwise every month is computed at once and the settled ones kept.
     */
    public Map<String, long[]> monthly(String tenantId, MonthBuckets months, Function<MonthBuckets, Map<String, long[]>> compute) {
        return monthly(tenantId, months, compute, compute);
    }

    /**
     * {@link #monthly(String, MonthBuckets, Function)}, with the months still open read by {@code open} (which may keep
     * sums of its own, as {@link RunningSums} does) once the settled ones are known.
     */
    public Map<String, long[]> monthly(String tenantId, MonthBuckets months, Function<MonthBuckets, Map<String, long[]>> compute,
                                       Function<MonthBuckets, Map<String, long[]>> open) {
        int n = months.months().size();
        int count = 0;
        while (count < n && !months.end(count).plus(SETTLE).isAfter(months.asOf())) count++;
        int openFrom = count;
        // months [0, openFrom) are settled; [openFrom, n) are still open (the last always is: it ends at asOf)
        Map<String, Long>[] known = cached(tenantId, months.months().subList(0, openFrom));
        if (known == null) {
            Map<String, long[]> all = compute.apply(months);
            remember(tenantId, months.months().subList(0, openFrom), all);
            return all;
        }
        Map<String, long[]> out = new TreeMap<>();
        for (int i = 0; i < openFrom; i++) {
            int m = i;
            known[i].forEach((currency, v) -> out.computeIfAbsent(currency, c -> new long[n])[m] = v);
        }
        if (openFrom < n) {
            Map<String, long[]> rest = open.apply(new MonthBuckets(months.months().subList(openFrom, n), months.asOf()));
            rest.forEach((currency, v) -> System.arraycopy(v, 0, out.computeIfAbsent(currency, c -> new long[n]), openFrom, n - openFrom));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private synchronized Map<String, Long>[] cached(String tenantId, List<YearMonth> months) {
        Map<String, Long>[] out = new Map[months.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = settled.get(new Key(tenantId, months.get(i)));
            if (out[i] == null) return null;
        }
        return out;
    }

    private synchronized void remember(String tenantId, List<YearMonth> months, Map<String, long[]> figures) {
        for (int i = 0; i < months.size(); i++) {
            Map<String, Long> month = new TreeMap<>();
            for (var e : figures.entrySet()) if (e.getValue()[i] != 0) month.put(e.getKey(), e.getValue()[i]);
            settled.put(new Key(tenantId, months.get(i)), Map.copyOf(month));
        }
    }
}
