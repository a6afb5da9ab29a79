package tollgate.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.RecordingJob;
import tollgate.testing.RecordingJob.Run;
import tollgate.testing.TestClocks;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/** SPEC §7: a test tenant's clock moves only when told, running due work in order on the way. */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class TestClockTest {
    @Parameter
    TestDatabase database;
    TestServer server;
    ApiClient api;
    RecordingJob.Runs runs;

    @BeforeEach
    void tenant() {
        server = TestServer.on(database);
        runs = RecordingJob.on(server.app);
        api = server.newTenant();
    }

    private Instant now() {
        return Instant.parse(api.get("/v1/test_clock").str("now"));
    }

    private void schedule(Instant at, String ref) {
        server.app.db.tx(tx -> {
            server.app.timeline.schedule(tx, api.tenant.id(), at, RecordingJob.KIND, ref, at);
            return null;
        });
    }

    private Res advance(Object to) {
        return api.post("/v1/test_clock/advance", "{\"to\":\"" + to + "\"}");
    }

    @Test
    void aTestClockStartsAtItsCreationAndStandsStill() throws InterruptedException {
        Instant first = now();
        assertThat(first).isBetween(TestClocks.now().minusSeconds(60), TestClocks.now());
        Thread.sleep(20);
        assertThat(now()).isEqualTo(first);
    }

    @Test
    void advanceRunsDueJobsInDueOrderWithTheClockAtEachJobsTime() {
        Instant start = now();
        Instant day2 = start.plusSeconds(2 * 86_400);
        Instant day1 = start.plusSeconds(86_400);
        Instant day3 = start.plusSeconds(3 * 86_400);
        Instant day9 = start.plusSeconds(9 * 86_400);
        schedule(day2, "second");
        schedule(day3, "third");
        schedule(day1, "first");
        schedule(day9, "later");

        Res r = advance(start.plusSeconds(5 * 86_400));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.str("now")).isEqualTo(start.plusSeconds(5 * 86_400).toString());
        assertThat(runs.get(api.tenant.id())).containsExactly(
                new Run("first", day1, day1), new Run("second", day2, day2), new Run("third", day3, day3));

        advance(day9);
        assertThat(runs.get(api.tenant.id())).hasSize(4).last().isEqualTo(new Run("later", day9, day9));
        assertThat(now()).isEqualTo(day9);
    }

    @Test
    void advancingToTheCurrentInstantIsAllowedAndRunsWhatIsDueNow() {
        Instant start = now();
        schedule(start, "now");
        assertThat(advance(start).status()).isEqualTo(200);
        assertThat(runs.get(api.tenant.id())).containsExactly(new Run("now", start, start));
    }

    @Test
    void aJobRunsOnceEvenWhenAdvancedAgain() {
        Instant start = now();
        schedule(start.plusSeconds(60), "once");
        advance(start.plusSeconds(120));
        advance(start.plusSeconds(240));
        assertThat(runs.get(api.tenant.id())).extracting(Run::ref).containsExactly("once");
    }

    @Test
    void aFailingJobIsRetriedWithBackoffAndThenLeftDeadWithoutStoppingTheClock() {
        Instant start = now();
        schedule(start.plusSeconds(10), "fail-always");
        schedule(start.plusSeconds(20), "fine");
        Res r = advance(start.plusSeconds(86_400));
        assertThat(r.status()).isEqualTo(200);
        assertThat(runs.get(api.tenant.id())).extracting(Run::ref).containsExactly("fine");
        var row = server.app.db.dsl().fetchOne("select state, attempts, last_error from timeline where tenant_id = ? and ref = ?",
                api.tenant.id(), "fail-always");
        assertThat(row.get("state", String.class)).isEqualTo("dead");
        assertThat(row.get("attempts", Integer.class)).isEqualTo(5);
        assertThat(row.get("last_error", String.class)).contains("asked to fail");
        // The tenant is told, at its fifth failure (1 + 2 + 4 + 8 minutes after its due time), and its job's follow-up ran.
        JsonNode dead = api.get("/v1/events?type=timeline.job_dead").json().get("data");
        assertThat(dead).hasSize(1);
        assertThat(dead.at("/0/created_at").asText()).isEqualTo(start.plusSeconds(10 + 15 * 60).toString());
        assertThat(dead.at("/0/data/kind").asText()).isEqualTo(RecordingJob.KIND);
        assertThat(dead.at("/0/data/ref").asText()).isEqualTo("fail-always");
        assertThat(dead.at("/0/data/attempts").asInt()).isEqualTo(5);
        assertThat(api.get("/v1/events?type=test.job_dead_followed_up").json().at("/data/0/data/ref").asText()).isEqualTo("fail-always");
    }

    @Test
    void aRowWhoseFollowUpFailsTooIsStillLeftDeadAndTold() {
        Instant start = now();
        schedule(start.plusSeconds(10), "fail-and-follow-up-fails");
        assertThat(advance(start.plusSeconds(86_400)).status()).isEqualTo(200);
        assertThat(server.app.db.dsl().fetchOne("select state from timeline where tenant_id = ? and ref = ?",
                api.tenant.id(), "fail-and-follow-up-fails").get(0, String.class)).isEqualTo("dead");
        assertThat(api.get("/v1/events?type=timeline.job_dead").json().get("data")).hasSize(1);
        assertThat(api.get("/v1/events?type=test.job_dead_followed_up").json().get("data")).isEmpty();
    }

    @Test
    void rowsDueAtOneInstantRunTogetherAndOneFailingRowDoesNotStopTheOthers() {
        Instant start = now();
        Instant at = start.plusSeconds(3600);
        schedule(at, "a");
        schedule(at, "fail-once-batch");
        schedule(at, "b");
        // Before the failed row's first retry (a minute after its due time).
        advance(at.plusSeconds(30));
        assertThat(runs.get(api.tenant.id())).extracting(Run::ref).containsExactlyInAnyOrder("a", "b");
        assertThat(runs.get(api.tenant.id())).allSatisfy(r -> assertThat(r.clockDuringRun()).isEqualTo(at));
        var row = server.app.db.dsl().fetchOne("select state, attempts from timeline where tenant_id = ? and ref = ?",
                api.tenant.id(), "fail-once-batch");
        assertThat(row.get("attempts", Integer.class)).isEqualTo(1);
        assertThat(row.get("state", String.class)).isEqualTo("pending");
    }

    @Test
    void theClockCannotGoBack() {
        Instant start = now();
        Res r = advance(start.minusSeconds(1));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.code()).isEqualTo("clock_in_past");
        assertThat(r.str("field")).isEqualTo("to");
        assertThat(now()).isEqualTo(start);
    }

    /** Without its daily purge of idempotency keys, so that a long advance costs nothing but the clock's move. */
    private void withoutPurge() {
        server.app.db.dsl().execute("delete from timeline where tenant_id = ? and kind = 'idempotency.purge'", api.tenant.id());
    }

    @Test
    void oneAdvanceMovesTheClockAtMostTwoYears() {
        withoutPurge();
        Instant start = now();
        Instant furthest = start.atOffset(java.time.ZoneOffset.UTC).plusYears(2).toInstant();
        for (Object tooFar : List.of(furthest.plusMillis(1), "+100000-01-01T00:00:00Z")) {
            Res r = advance(tooFar);
            assertThat(r.status()).as(r.text()).isEqualTo(422);
            assertThat(r.code()).isEqualTo("advance_too_far");
            assertThat(r.str("field")).isEqualTo("to");
            assertThat(now()).isEqualTo(start);
        }
        // Exactly two years is allowed, and from there two more: far is reached in steps.
        assertThat(advance(furthest).status()).isEqualTo(200);
        Instant further = furthest.atOffset(java.time.ZoneOffset.UTC).plusYears(2).toInstant();
        assertThat(advance(further).status()).isEqualTo(200);
        assertThat(now()).isEqualTo(further);
    }

    @Test
    void instantsBeyondWhatADatabaseStoresAreRefused() {
        withoutPurge();
        Instant start = now();
        Map<String, String> refusals = Map.of(
                "+999999999-12-31T23:59:59-18:00", "advance_too_far",
                "+294277-01-01T00:00:00Z", "advance_too_far",
                "-999999999-01-01T00:00:00+18:00", "clock_in_past",
                "+1000000000-01-01T00:00:00Z", "timestamp_invalid");
        refusals.forEach((to, code) -> {
            Res r = advance(to);
            assertThat(r.status()).as(to + " " + r.text()).isEqualTo(422);
            assertThat(r.code()).as(to).isEqualTo(code);
        });
        assertThat(now()).isEqualTo(start);
    }

    @Test
    void toMustBeAnRfc3339Timestamp() {
        Res r = advance("next tuesday");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.code()).isEqualTo("timestamp_invalid");
        Res missing = api.post("/v1/test_clock/advance", "{}");
        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.code()).isEqualTo("parameter_missing");
        Res wrongType = api.post("/v1/test_clock/advance", "{\"to\": 1700000000}");
        assertThat(wrongType.code()).isEqualTo("invalid_type");
    }

    @Test
    void liveTenantsHaveNoTestClock() {
        ApiClient live = server.newLiveTenant();
        assertThat(live.get("/v1/test_clock").status()).isEqualTo(403);
        Res r = live.post("/v1/test_clock/advance", "{\"to\":\"2099-01-01T00:00:00Z\"}");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.code()).isEqualTo("test_clock_unavailable");
    }

    @Test
    void eachTenantHasItsOwnClock() {
        ApiClient other = server.newTenant();
        Instant otherStart = Instant.parse(other.get("/v1/test_clock").str("now"));
        advance(now().plusSeconds(30 * 86_400));
        assertThat(Instant.parse(other.get("/v1/test_clock").str("now"))).isEqualTo(otherStart);
    }

    @Test
    void accountsCreatedAfterAnAdvanceCarryTheTestClocksTime() {
        Instant target = now().plusSeconds(400 * 86_400);
        advance(target);
        Res account = api.post("/v1/accounts", "{\"name\":\"Later\",\"email\":\"a@later.test\",\"currency\":\"usd\"}");
        assertThat(Instant.parse(account.str("created_at"))).isEqualTo(target);
    }
}
