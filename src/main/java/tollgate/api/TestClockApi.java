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

    private final TestClock clock;

    public TestClockApi(TestClock clock) {
        this.clock = clock;
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
                    return new Now(call.tenant(), clock.advance(call.tenant(), to));
                }));
    }
}
