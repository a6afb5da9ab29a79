package tollgate.licensing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Which licenses sites checked lately, held in memory on this node until the worker writes them (decision 047: the
 * dashboard's "last check", SPEC §9). Validation stays a cache lookup that never writes: {@link #checked} only notes
 * the license, at most once per {@link #AT_MOST_EVERY} on this node; {@link Licensing#flushSiteChecks} takes what is
 * noted every minute and writes it in one update per tenant, under that tenant's clock. Each node notes and writes its
 * own; the update's condition keeps the row's time written at most once an hour whichever node answers.
 */
public final class SiteChecks {
    /** A license's last check is written at most this often: the dashboard's precision. */
    public static final Duration AT_MOST_EVERY = Duration.ofHours(1);

    /** A license noted for its tenant. */
    public record Noted(String tenantId, String licenseId) {}

    /** Licenses noted within the hour on this node (an interval on the ticker's monotonic time, not a time of day). */
    private final Cache<String, Boolean> recent;
    private final ConcurrentLinkedQueue<Noted> pending = new ConcurrentLinkedQueue<>();

    /** {@code ticker}: {@link Ticker#systemTicker()} in the server, a hand-moved one in tests. */
    public SiteChecks(Ticker ticker, int maxEntries) {
        this.recent = Caffeine.newBuilder().ticker(ticker).maximumSize(maxEntries).expireAfterWrite(AT_MOST_EVERY)
                .executor(Runnable::run).build();
    }

    /** A site checked this license's key now: noted for the next write unless it was noted within the hour. Memory only. */
    public void checked(String tenantId, String licenseId) {
        if (recent.getIfPresent(licenseId) != null) return;
        if (recent.asMap().putIfAbsent(licenseId, Boolean.TRUE) == null) pending.add(new Noted(tenantId, licenseId));
    }

    /** Takes everything noted, license ids grouped by tenant in the order they came. */
    Map<String, List<String>> drain() {
        Map<String, List<String>> byTenant = new LinkedHashMap<>();
        for (Noted n = pending.poll(); n != null; n = pending.poll())
            byTenant.computeIfAbsent(n.tenantId(), t -> new ArrayList<>()).add(n.licenseId());
        return byTenant;
    }

    /** Puts back what a write could not store (the database was away): the next minute tries again. */
    void putBack(String tenantId, List<String> licenseIds) {
        for (String id : licenseIds) pending.add(new Noted(tenantId, id));
    }

    /** How many licenses wait for the next write. */
    public int waiting() {
        return pending.size();
    }
}
