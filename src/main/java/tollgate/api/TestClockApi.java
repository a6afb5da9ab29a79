package tollgate.api;

import java.time.Instant;
import java.util.List;
import tollgate.timeline.TestClock;

/** {@code /v1/test_clock}: read and advance a test tenant's clock. */
public final class TestClockApi implements Api {
    /** The clock as the API shows it. */
    public record Now(String object, Instant now) {
        Now(Instant now) { this("test_clock", now); }
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
                Route.get("/v1/test_clock", call -> new Now(clock.now(call.tenant()))),
                Route.post("/v1/test_clock/advance", call -> {
                    Body b = call.body().only("to");
                    Instant to = Call.instant("to", b.string("to"));
                    return new Now(clock.advance(call.tenant(), to));
                }));
    }
}
