package tollgate.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.Scenario;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/** SPEC §10 usage events: idempotent by id, refused whole when any event is wrong, batches of at most 1000. */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class UsageApiTest {
    @Parameter
    TestDatabase database;
    TestServer server;
    ApiClient api;
    String account;
    String sub;

    @BeforeEach
    void usageSubscription() {
        server = TestServer.on(database);
        // The open cycle is [2030-10-26 12:00, 2030-11-26 12:00); the clock stands at Nov 1.
        api = Scenario.tenantAt(server, Instant.parse("2030-10-26T12:00:00Z"));
        account = api.newPayingAccount("Apps", "usd", "UTC");
        sub = subscribe(plan("{\"name\":\"Requests\",\"type\":\"usage\",\"currency\":\"usd\",\"unit_amount\":2}"));
        advance("2030-11-01T00:00:00Z");
    }

    private String plan(String json) {
        Res r = api.post("/v1/plans", json);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.str("id");
    }

    private String subscribe(String plan) {
        Res r = api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.str("id");
    }

    private void advance(String to) {
        assertThat(api.post("/v1/test_clock/advance", "{\"to\":\"" + to + "\"}").status()).isEqualTo(200);
    }

    private static String event(String id, String sub, Object quantity, String timestamp) {
        return "{\"id\":\"" + id + "\",\"subscription\":\"" + sub + "\",\"quantity\":" + quantity
                + (timestamp == null ? "" : ",\"timestamp\":\"" + timestamp + "\"") + "}";
    }

    private Res post(String json) {
        return api.post("/v1/usage_events", json);
    }

    private Res batch(List<String> events) {
        return api.post("/v1/usage_events/batch", "{\"events\":[" + String.join(",", events) + "]}");
    }

    private int stored() {
        return server.app.db.dsl().fetchCount(DSL.table("usage_events"), DSL.field("tenant_id").eq(api.tenant.id()));
    }

    private long total() {
        return server.app.db.dsl().fetchOne("select coalesce(sum(quantity), 0) from usage_events where subscription_id = ?", sub)
                .get(0, Long.class);
    }

    private static void assertRefused(Res r, int status, String code, String field) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.code()).isEqualTo(code);
        assertThat(r.str("field")).isEqualTo(field);
    }

    @Test
    void anEventStampedMoreThanFiveMinutesAheadOfTheClockIsRefused() {
        // The clock stands at 2030-11-01 00:00; the open cycle runs to Nov 26, but the 20th has not happened yet.
        assertRefused(post(event("future-1", sub, 5, "2030-11-20T00:00:00Z")), 422, "timestamp_in_future", "timestamp");
        assertRefused(post(event("future-2", sub, 5, "2030-11-01T00:05:01Z")), 422, "timestamp_in_future", "timestamp");
        assertRefused(batch(List.of(event("b-1", sub, 1, null), event("b-2", sub, 1, "2030-11-01T01:00:00Z"))), 422,
                "timestamp_in_future", "events[1].timestamp");
        assertThat(stored()).isZero();

        // A meter's clock a little ahead of ours is fine.
        Res skewed = post(event("skewed", sub, 5, "2030-11-01T00:05:00Z"));
        assertThat(skewed.status()).as(skewed.text()).isEqualTo(200);
        assertThat(stored()).isEqualTo(1);
    }

    @Test
    void anEventIsAnsweredAndItsTimestampDefaultsToTheTenantsClock() {
        Res r = post(event("evt-1", sub, 25, null));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.str("object")).isEqualTo("usage_event");
        assertThat(r.str("id")).isEqualTo("evt-1");
        assertThat(r.str("subscription")).isEqualTo(sub);
        assertThat(r.json().get("quantity").asLong()).isEqualTo(25);
        assertThat(r.str("timestamp")).isEqualTo("2030-11-01T00:00:00Z");
        assertThat(r.json().get("duplicate").asBoolean()).isFalse();
        assertThat(stored()).isEqualTo(1);
    }

    @Test
    void theSameIdSayingTheSameIsADuplicateAndWritesNothing() {
        post(event("evt-1", sub, 25, "2030-10-30T10:00:00Z"));
        Res again = post(event("evt-1", sub, 25, "2030-10-30T10:00:00.000Z"));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("duplicate").asBoolean()).isTrue();
        assertThat(again.str("timestamp")).isEqualTo("2030-10-30T10:00:00Z");
        // A retry that leaves the timestamp to us does not compare it.
        assertThat(post(event("evt-1", sub, 25, null)).json().get("duplicate").asBoolean()).isTrue();
        assertThat(stored()).isEqualTo(1);
        assertThat(total()).isEqualTo(25);
    }

    /**
     * SPEC §10: a repeated id is ignored — also when it says something else (decision 096, where it was a 409). The
     * answer is the event as stored, so a caller that reused an id by mistake sees what was kept.
     */
    @Test
    void theSameIdSayingSomethingElseIsIgnoredAndAnsweredWithWhatWasStored() {
        String other = subscribe(plan("{\"name\":\"Storage\",\"type\":\"usage\",\"currency\":\"usd\",\"unit_amount\":1}"));
        post(event("evt-1", sub, 25, "2030-10-30T10:00:00Z"));
        for (String repeat : List.of(event("evt-1", sub, 26, "2030-10-30T10:00:00Z"), event("evt-1", other, 25, "2030-10-30T10:00:00Z"),
                event("evt-1", sub, 25, "2030-10-30T10:00:01Z"))) {
            Res r = post(repeat);
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            assertThat(r.json().get("duplicate").asBoolean()).isTrue();
            assertThat(r.str("subscription")).isEqualTo(sub);
            assertThat(r.json().get("quantity").asLong()).isEqualTo(25);
            assertThat(r.str("timestamp")).isEqualTo("2030-10-30T10:00:00Z");
        }
        assertThat(stored()).isEqualTo(1);
        assertThat(total()).isEqualTo(25);
    }

    @Test
    void malformedEventsAreRefusedWithTheirField() {
        assertRefused(post("{\"id\":\"e\",\"subscription\":\"" + sub + "\",\"quantity\":1,\"unit\":\"GB\"}"), 422, "unknown_field", "unit");
        assertRefused(post(event("e", sub, 0, null)), 422, "parameter_invalid", "quantity");
        assertRefused(post(event("e", sub, -4, null)), 422, "parameter_invalid", "quantity");
        assertRefused(post(event("e", sub, 1.5, null)), 422, "invalid_type", "quantity");
        assertRefused(post(event("e", sub, "\"3\"", null)), 422, "invalid_type", "quantity");
        assertRefused(post(event("e", sub, 1_000_000_000_001L, null)), 422, "parameter_invalid", "quantity");
        assertRefused(post("{\"subscription\":\"" + sub + "\",\"quantity\":1}"), 422, "parameter_missing", "id");
        assertRefused(post("{\"id\":\"e\",\"subscription\":\"" + sub + "\"}"), 422, "parameter_missing", "quantity");
        assertRefused(post(event(" ", sub, 1, null)), 422, "parameter_invalid", "id");
        assertRefused(post(event("x".repeat(256), sub, 1, null)), 422, "parameter_invalid", "id");
        assertRefused(post(event("e", sub, 1, "yesterday")), 422, "timestamp_invalid", "timestamp");
        assertThat(stored()).isZero();
    }

    @Test
    void onlyOpenUsageSubscriptionsOfThisTenantTakeUsageInTheirOpenPeriod() {
        // First, at the period's last second (its end no longer in the future) and before the hosting plan below
        // goes unpaid into dunning, which cancels the account's subscriptions.
        advance("2030-11-26T11:59:59Z");
        assertRefused(post(event("e", sub, 1, "2030-10-26T11:59:59Z")), 422, "timestamp_outside_period", "timestamp");
        assertRefused(post(event("e", sub, 1, "2030-11-26T12:00:00Z")), 422, "timestamp_outside_period", "timestamp");
        assertThat(post(event("first-second", sub, 1, "2030-10-26T12:00:00Z")).status()).isEqualTo(200);
        assertThat(post(event("last-second", sub, 1, "2030-11-26T11:59:59Z")).status()).isEqualTo(200);
        String flat = subscribe(plan("{\"name\":\"Hosting\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":2500}"));
        assertRefused(post(event("e", flat, 1, null)), 422, "plan_type_invalid", "subscription");
        String canceled = subscribe(plan("{\"name\":\"Storage\",\"type\":\"usage\",\"currency\":\"usd\",\"unit_amount\":1}"));
        api.post("/v1/subscriptions/" + canceled + "/cancel", null);
        assertRefused(post(event("e", canceled, 1, null)), 422, "subscription_canceled", "subscription");

        ApiClient other = server.newTenant();
        assertRefused(other.post("/v1/usage_events", event("g", sub, 1, null)), 404, "resource_missing", "subscription");
        assertRefused(other.post("/v1/usage_events/batch", "{\"events\":[" + event("g", sub, 1, null) + "]}"),
                404, "resource_missing", "events[0].subscription");
        assertRefused(post(event("g", "sub_nope", 1, null)), 404, "resource_missing", "subscription");
        assertThat(stored()).isEqualTo(2);
    }

    @Test
    void aBatchCountsNewEventsAndDuplicatesAlsoWithinItself() {
        post(event("a", sub, 5, null));
        Res r = batch(List.of(event("a", sub, 5, null), event("b", sub, 7, null), event("c", sub, 11, "2030-10-27T00:00:00Z"),
                event("b", sub, 7, null)));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.str("object")).isEqualTo("usage_event_batch");
        assertThat(r.json().get("accepted").asInt()).isEqualTo(2);
        assertThat(r.json().get("duplicates").asInt()).isEqualTo(2);
        assertThat(stored()).isEqualTo(3);
        assertThat(total()).isEqualTo(23);
    }

    @Test
    void aBatchWithOneWrongEventIsRefusedWholeNamingItsIndex() {
        post(event("seen", sub, 5, null));
        List<String> good = new ArrayList<>();
        for (int i = 0; i < 3; i++) good.add(event("n" + i, sub, 1, null));

        List<String> early = new ArrayList<>(good);
        early.add(1, event("x", sub, 1, "2030-10-01T00:00:00Z"));
        assertRefused(batch(early), 422, "timestamp_outside_period", "events[1].timestamp");
        List<String> typo = new ArrayList<>(good);
        typo.add("{\"id\":\"y\",\"subscription\":\"" + sub + "\",\"qty\":1}");
        assertRefused(batch(typo), 422, "unknown_field", "events[3].qty");
        List<String> zero = new ArrayList<>(good);
        zero.add(event("z", sub, 0, null));
        assertRefused(batch(zero), 422, "parameter_invalid", "events[3].quantity");
        assertRefused(api.post("/v1/usage_events/batch", "{\"events\":[1]}"), 422, "invalid_type", "events[0]");

        assertThat(stored()).isEqualTo(1);
        assertThat(total()).isEqualTo(5);
    }

    @Test
    void aDuplicateIsAnsweredAsSuchEvenWhenItsSubscriptionWasCanceledSince() {
        String storage = subscribe(plan("{\"name\":\"Storage\",\"type\":\"usage\",\"currency\":\"usd\",\"unit_amount\":1}"));
        assertThat(post(event("kept", storage, 3, null)).status()).isEqualTo(200);
        assertThat(api.post("/v1/subscriptions/" + storage + "/cancel", null).status()).isEqualTo(200);
        Res r = batch(List.of(event("kept", storage, 3, null), event("fresh", sub, 4, null)));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().get("accepted").asInt()).isEqualTo(1);
        assertThat(r.json().get("duplicates").asInt()).isEqualTo(1);
        assertRefused(batch(List.of(event("new", storage, 1, null), event("kept", storage, 3, null))), 422,
                "subscription_canceled", "events[0].subscription");
        assertThat(stored()).isEqualTo(2);
        assertThat(total()).isEqualTo(4);
    }

    /**
     * A batch that repeats an id with other content, of an earlier request or of the batch itself, keeps its other
     * events: the repeats are ignored and counted as duplicates (decision 096; a 409 used to refuse the whole batch).
     */
    @Test
    void aBatchRepeatingAnIdWithOtherContentKeepsItsOtherEvents() {
        post(event("seen", sub, 5, null));
        Res r = batch(List.of(event("n0", sub, 1, null), event("seen", sub, 6, null), event("n1", sub, 2, null),
                event("n0", sub, 9, null)));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().get("accepted").asInt()).isEqualTo(2);
        assertThat(r.json().get("duplicates").asInt()).isEqualTo(2);
        assertThat(stored()).isEqualTo(3);
        assertThat(total()).isEqualTo(8);
    }

    @Test
    void aBatchHoldsOneTo1000Events() {
        List<String> thousand = new ArrayList<>();
        for (int i = 0; i < 1000; i++) thousand.add(event("b" + i, sub, 1, null));
        Res ok = batch(thousand);
        assertThat(ok.status()).as(ok.text()).isEqualTo(200);
        assertThat(ok.json().get("accepted").asInt()).isEqualTo(1000);
        List<String> tooMany = new ArrayList<>(thousand);
        tooMany.add(event("b1000", sub, 1, null));
        assertRefused(batch(tooMany), 422, "parameter_invalid", "events");
        assertRefused(batch(List.of()), 422, "parameter_invalid", "events");
        assertRefused(api.post("/v1/usage_events/batch", "{}"), 422, "parameter_missing", "events");
        assertRefused(api.post("/v1/usage_events/batch", "{\"events\":[],\"more\":1}"), 422, "unknown_field", "more");
        assertThat(stored()).isEqualTo(1000);
        // The same thousand again: all duplicates.
        JsonNode again = batch(thousand).json();
        assertThat(again.get("accepted").asInt()).isZero();
        assertThat(again.get("duplicates").asInt()).isEqualTo(1000);
    }

    @Test
    void concurrentBatchesWithTheSameIdsRecordEachEventOnce() throws Exception {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 200; i++) events.add(event("c" + i, sub, 1, "2030-10-31T00:00:00Z"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Res>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) calls.add(() -> batch(events));
            int accepted = 0;
            int duplicates = 0;
            for (Future<Res> f : pool.invokeAll(calls)) {
                Res r = f.get();
                assertThat(r.status()).as(r.text()).isEqualTo(200);
                accepted += r.json().get("accepted").asInt();
                duplicates += r.json().get("duplicates").asInt();
            }
            assertThat(accepted).isEqualTo(200);
            assertThat(duplicates).isEqualTo(600);
        } finally {
            pool.shutdown();
        }
        assertThat(total()).isEqualTo(200);
    }

    /**
     * One id sent at once for two subscriptions, eight times (decision 072): one event is stored, and every answer is
     * 200 with that event (decision 096: the others are repeats, ignored). A request whose insert keeps meeting ids recorded
     * since its read may be answered 503 {@code lock_timeout} (after five rounds in its transaction); sent again, it gets
     * its answer.
     */
    @Test
    void oneIdSentAtOnceForTwoSubscriptionsIsStoredOnceAndEveryRequestIsAnsweredWithIt() throws Exception {
        String other = subscribe(plan("{\"name\":\"Storage\",\"type\":\"usage\",\"currency\":\"usd\",\"unit_amount\":1}"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Res>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String named = i % 2 == 0 ? sub : other;
                calls.add(() -> {
                    for (int attempt = 0; ; attempt++) {
                        Res r = post(event("raced", named, 3, "2030-11-01T00:00:00Z"));
                        if (r.status() != 503 || attempt == 5) return r;
                        assertThat(r.code()).isEqualTo("lock_timeout");
                    }
                });
            }
            List<Future<Res>> answers = pool.invokeAll(calls);
            String stored = server.app.db.dsl().fetchOne("select subscription_id from usage_events where tenant_id = ? and id = 'raced'",
                    api.tenant.id()).get(0, String.class);
            for (int i = 0; i < 8; i++) {
                Res r = answers.get(i).get();
                String named = i % 2 == 0 ? sub : other;
                assertThat(r.status()).as(r.text()).isEqualTo(200);
                assertThat(r.str("subscription")).isEqualTo(stored);
                if (!named.equals(stored)) assertThat(r.json().get("duplicate").asBoolean()).isTrue();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(stored()).isEqualTo(1);
    }
    /**
     * With an {@code Idempotency-Key}, the route's one transaction (decision 072): a batch that meets an id recorded by an
     * earlier request (on PostgreSQL its insert fails and is rolled back to its savepoint, and the ids are read in the same
     * transaction) is answered, its new event stored, and the answer kept for the key; a batch repeating an id with
     * another quantity stores its new event and its answer is kept too.
     */
    @Test
    void aKeyedBatchMeetingAnEarlierEventKeepsItsAnswer() {
        assertThat(api.post("/v1/usage_events", event("early", sub, 5, null), Map.of("Idempotency-Key", "u-1")).status()).isEqualTo(200);
        String body = "{\"events\":[" + event("early", sub, 5, null) + "," + event("later", sub, 7, null) + "]}";
        Res first = api.post("/v1/usage_events/batch", body, Map.of("Idempotency-Key", "u-2"));
        assertThat(first.status()).as(first.text()).isEqualTo(200);
        assertThat(first.json().get("accepted").asInt()).isEqualTo(1);
        assertThat(first.json().get("duplicates").asInt()).isEqualTo(1);
        Res replayed = api.post("/v1/usage_events/batch", body, Map.of("Idempotency-Key", "u-2"));
        assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replayed.text()).isEqualTo(first.text());
        assertThat(stored()).isEqualTo(2);
        assertThat(total()).isEqualTo(12);

        String repeating = "{\"events\":[" + event("fresh", sub, 1, null) + "," + event("later", sub, 8, null) + "]}";
        Res second = api.post("/v1/usage_events/batch", repeating, Map.of("Idempotency-Key", "u-3"));
        assertThat(second.status()).as(second.text()).isEqualTo(200);
        assertThat(second.json().get("accepted").asInt()).isEqualTo(1);
        assertThat(second.json().get("duplicates").asInt()).isEqualTo(1);
        Res secondAgain = api.post("/v1/usage_events/batch", repeating, Map.of("Idempotency-Key", "u-3"));
        assertThat(secondAgain.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(secondAgain.text()).isEqualTo(second.text());
        assertThat(stored()).isEqualTo(3);
        assertThat(total()).isEqualTo(13);
    }
}
