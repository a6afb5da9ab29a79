package tollgate.api;

import java.time.Instant;
import java.util.List;
import tollgate.timeline.TestClock;

/** {@code /v1/test_clock}: read and advance a test tenant's clock. */
public final class TestClockApi implements Api {
    /** The clock as the API shows it: a test tenant has one clock, {@code clock_} and the tenant id's own part. */
    public record Now(String id, String object, Instant now) {
        Now(tollgate.tenants.Tenant tenant, Instant now) {
            this("clock_" + tenant.id().substring(tenant.id().indexOf('_') + 1), "test_clock", now);
        }
    }

    /** How many advances of one tenant may run at once: a second joins in at the first's instant; more wait their turn. */
    static final int CONCURRENT_ADVANCES = 2;

    private final TestClock clock;
    private final tollgate.core.RateLimiter perTenant;
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicInteger> running =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Advances are limited per tenant (each may run a month of billing): {@code perMinute} a minute (a burst of as many)
     * and {@link #CONCURRENT_ADVANCES} at once, else 429 with {@code Retry-After}.
     */
    public TestClockApi(TestClock clock, int perMinute) {
        this.clock = clock;
        this.perTenant = tollgate.core.RateLimiter.perName(perMinute / 60.0, perMinute, 100_000);
    }

    @Override
    public String openApiFragment() {
        return "test_clock";
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get("/v1/test_clock", call -> new Now(call.tenant(), clock.now(call.tenant()))),
                Route.post("/v1/test_clock/advance", call -> {
                    Body b = call.body().only("to");
                    Instant to = Call.instant("to", b.string("to"));
                    return limited(call.tenant(), () -> new Now(call.tenant(), clock.advance(call.tenant(), to)));
                }));
    }

    Now limited(tollgate.tenants.Tenant tenant, java.util.function.Supplier<Now> advance) {
        java.util.concurrent.atomic.AtomicInteger now = running.computeIfAbsent(tenant.id(), k -> new java.util.concurrent.atomic.AtomicInteger());
        if (now.incrementAndGet() > CONCURRENT_ADVANCES) {
            now.decrementAndGet();
            throw tollgate.core.Problem.tooMany("test_clock_busy", 1, "This tenant's clock is being advanced "
                    + CONCURRENT_ADVANCES + " times already; retry when one has finished");
        }
        try {
            long wait = perTenant.acquire(tenant.id());
            if (wait > 0) throw tollgate.core.Problem.tooMany("test_clock_rate_limited", wait,
                    "Too many advances of this tenant's clock; retry after " + wait + " s");
            return advance.get();
        } finally {
            now.decrementAndGet();
        }
    }
}
