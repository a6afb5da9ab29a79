package tollgate.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.core.Problem;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.FailingWrites;
import tollgate.testing.Fixtures;
import tollgate.testing.TestClocks;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * Decision 075: a route whose work takes several transactions (it asks a gateway between them) and is cut off after its
 * work and before its answer is kept — here the database "goes away" as the answer is written — leaves its
 * {@code Idempotency-Key} running. Once the key has gone {@link Idempotency#TAKEN_OVER_AFTER} without a sign of life
 * (its claim, or its process saying that the request still runs: decision 077), a retry takes the key over: from the
 * object the cut-off request recorded as made (the paid invoice, the credit note, the card), with nothing charged,
 * refunded or saved twice; until then it is told when to come back. Before, every retry got 409 for 24 hours.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class KeysTakenOverTest {
    @Parameter
    TestDatabase database;
    TestServer server;
    ApiClient api;
    String account;

    @BeforeEach
    void tenant() {
        server = TestServer.on(database);
        api = server.newTenant();
        account = api.newAccount("Agency", "usd", "UTC");
    }

    @Test
    void aPayCutOffAfterItsChargeIsAnsweredAsPaidByTheRetryThatTakesItsKeyOver() {
        String invoice = openInvoiceWithACard();
        Map<String, String> key = Map.of("Idempotency-Key", "pay-cut-off");
        Res cut = cutOff("/v1/invoices/" + invoice + "/pay", "{}", key);
        assertThat(cut.status()).as(cut.toString()).isEqualTo(503);
        assertThat(api.get("/v1/invoices/" + invoice).str("status")).as("the charge went through before the cut").isEqualTo("paid");
        assertThat(sandboxCharges(invoice)).isEqualTo(1);
        assertThat(recovery("pay-cut-off")).as("the round's start, recorded with it").isEqualTo(invoice);

        age("pay-cut-off", Idempotency.TAKEN_OVER_AFTER.plusSeconds(1));
        Res retry = api.post("/v1/invoices/" + invoice + "/pay", "{}", key);
        assertThat(retry.status()).as(retry.toString()).isEqualTo(200);
        assertThat(retry.str("status")).isEqualTo("paid");
        assertThat(retry.header("Idempotent-Replayed")).isNull();
        assertThat(sandboxCharges(invoice)).as("charged once").isEqualTo(1);
        Res replayed = api.post("/v1/invoices/" + invoice + "/pay", "{}", key);
        assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replayed.text()).isEqualTo(retry.text());
    }

    @Test
    void aRefundCutOffAfterItWasMadeIsAnsweredFromItsCreditNoteAndNotMadeAgain() {
        String invoice = openInvoiceWithACard();
        assertThat(api.post("/v1/invoices/" + invoice + "/pay", "{}").status()).isEqualTo(200);
        String path = "/v1/invoices/" + invoice + "/credit_notes";
        String body = "{\"amount\":1000,\"refund_to\":\"payment\"}";
        Map<String, String> key = Map.of("Idempotency-Key", "refund-cut-off");
        Res cut = cutOff(path, body, key);
        assertThat(cut.status()).as(cut.toString()).isEqualTo(503);
        assertThat(creditNotes(invoice)).isEqualTo(1);
        assertThat(sandboxRefunds(invoice)).as("refunded before the cut").isEqualTo(1);
        String note = recovery("refund-cut-off");
        assertThat(note).startsWith("cn_");

        age("refund-cut-off", Idempotency.TAKEN_OVER_AFTER.plusSeconds(1));
        Res retry = api.post(path, body, key);
        assertThat(retry.status()).as(retry.toString()).isEqualTo(200);
        assertThat(retry.str("id")).as("the cut-off request's note").isEqualTo(note);
        assertThat(retry.json().at("/refund/status").asText()).isEqualTo("succeeded");
        assertThat(creditNotes(invoice)).as("no second credit note").isEqualTo(1);
        assertThat(sandboxRefunds(invoice)).as("refunded once").isEqualTo(1);
        assertThat(api.post(path, body, key).text()).isEqualTo(retry.text());
    }

    @Test
    void aRefundWhoseAnswerCouldNotBeWrittenIsResumedAtOnceByTheRetryNotMadeAgain() throws Exception {
        String invoice = openInvoiceWithACard();
        assertThat(api.post("/v1/invoices/" + invoice + "/pay", "{}").status()).isEqualTo(200);
        String path = "/v1/invoices/" + invoice + "/credit_notes";
        String body = "{\"amount\":700,\"refund_to\":\"payment\"}";
        Map<String, String> key = Map.of("Idempotency-Key", "refund-answer-lost");
        String tenant = api.tenant.id();
        Res failed;
        // The credit note and its pending refund commit and the gateway refunds; writing its answer fails (the database
        // goes away): the request fails, and its key, which records the note, is left for the retry to resume from.
        try (FailingWrites gone = FailingWrites.on(server.app.db, database, "refunds", true,
                "new.tenant_id = '" + tenant + "' and new.status = 'succeeded'", row -> tenant.equals(row[1]) && "succeeded".equals(row[10]),
                "57P01")) {
            failed = api.post(path, body, key);
        }
        assertThat(failed.status()).as(failed.toString()).isEqualTo(503);
        assertThat(creditNotes(invoice)).isEqualTo(1);
        assertThat(sandboxRefunds(invoice)).isEqualTo(1);

        Res retry = api.post(path, body, key);
        assertThat(retry.status()).as(retry.toString()).isEqualTo(200);
        assertThat(retry.str("id")).isEqualTo(recovery("refund-answer-lost"));
        assertThat(retry.json().at("/refund/status").asText()).as("asked again with its key").isEqualTo("succeeded");
        assertThat(creditNotes(invoice)).as("no second credit note").isEqualTo(1);
        assertThat(sandboxRefunds(invoice)).as("refunded once").isEqualTo(1);
    }

    @Test
    void aCardSavedByARequestCutOffIsTheRetrysAnswerAndNotSavedTwice() {
        String path = "/v1/accounts/" + account + "/payment_methods";
        Map<String, String> key = Map.of("Idempotency-Key", "card-cut-off");
        Res cut = cutOff(path, "{\"token\":\"tok_visa\"}", key);
        assertThat(cut.status()).as(cut.toString()).isEqualTo(503);
        assertThat(cards()).isEqualTo(1);

        age("card-cut-off", Idempotency.TAKEN_OVER_AFTER.plusSeconds(1));
        Res retry = api.post(path, "{\"token\":\"tok_visa\"}", key);
        assertThat(retry.status()).as(retry.toString()).isEqualTo(200);
        assertThat(retry.str("id")).isEqualTo(recovery("card-cut-off"));
        assertThat(cards()).as("saved once").isEqualTo(1);
    }

    @Test
    void aWebhookEndpointMadeByARequestCutOffIsTheRetrysAnswerWithItsSecret() {
        String body = "{\"url\":\"http://127.0.0.1:9/h\",\"enabled_events\":[\"*\"]}";
        Map<String, String> key = Map.of("Idempotency-Key", "endpoint-cut-off");
        Res cut = cutOff("/v1/webhook_endpoints", body, key);
        assertThat(cut.status()).as(cut.toString()).isEqualTo(503);
        assertThat(endpoints()).isEqualTo(1);

        age("endpoint-cut-off", Idempotency.TAKEN_OVER_AFTER.plusSeconds(1));
        Res retry = api.post("/v1/webhook_endpoints", body, key);
        assertThat(retry.status()).as(retry.toString()).isEqualTo(200);
        assertThat(retry.str("id")).isEqualTo(recovery("endpoint-cut-off"));
        assertThat(retry.str("secret")).as("the secret the cut-off caller never received").startsWith("whsec_");
        assertThat(endpoints()).as("made once").isEqualTo(1);
        assertThat(api.post("/v1/webhook_endpoints", body, key).text()).isEqualTo(retry.text());
    }

    @Test
    void aClaimWhoseWorkMadeNothingIsRunAgainByTheRetry() {
        String invoice = openInvoiceWithACard();
        String path = "/v1/invoices/" + invoice + "/credit_notes";
        String body = "{\"amount\":500}";
        // A request that claimed its key and was cut off before its credit note committed: the claim alone is left.
        String hash = Idempotency.requestHash("POST", path, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        store().tryClaim(server.app.db.dsl(), api.tenant.id(), "credit-never-made", hash,
                TestClocks.now(), TestClocks.now().minus(Idempotency.TAKEN_OVER_AFTER).minusSeconds(1));

        Res retry = api.post(path, body, Map.of("Idempotency-Key", "credit-never-made"));
        assertThat(retry.status()).as(retry.toString()).isEqualTo(200);
        assertThat(retry.json().get("amount").asLong()).isEqualTo(500);
        assertThat(creditNotes(invoice)).isEqualTo(1);
    }

    @Test
    void aRetryBeforeTheKeysLastSignOfLifeIsOldEnoughWaitsThenIsToldWhenToComeBack() {
        String invoice = openInvoiceWithACard();
        Map<String, String> key = Map.of("Idempotency-Key", "pay-too-soon");
        assertThat(cutOff("/v1/invoices/" + invoice + "/pay", "{}", key).status()).isEqualTo(503);
        // Claimed ten minutes ago, said alive four minutes ago (decision 077): the retry does not take the key over; it
        // waits 30 s for the request to finish, then is told to come back in about a minute, counted from the last sign.
        age("pay-too-soon", Duration.ofMinutes(10));
        int said = server.app.db.dsl().execute("update idempotency_keys set alive_at = ? where tenant_id = ? and idem_key = ?",
                TestClocks.now().minus(Duration.ofMinutes(4)), api.tenant.id(), "pay-too-soon");
        assertThat(said).isEqualTo(1);
        Res early = api.post("/v1/invoices/" + invoice + "/pay", "{}", key);
        assertThat(early.status()).as(early.toString()).isEqualTo(409);
        assertThat(early.code()).isEqualTo("idempotency_key_in_progress");
        assertThat(Long.parseLong(early.header("Retry-After"))).isBetween(20L, 31L);
        assertThat(sandboxCharges(invoice)).isEqualTo(1);
    }

    @Test
    void theCutOffRequestCannotWriteAfterItsKeyWasTakenOver() {
        var dsl = server.app.db.dsl();
        IdempotencyStore store = store();
        Instant second = claimTime();
        Instant first = second.minus(Duration.ofMinutes(6));
        String tenant = api.tenant.id();
        assertThat(store.tryClaim(dsl, tenant, "slow", "h", second, first)).isTrue();
        assertThat(store.takeOver(dsl, tenant, "slow", first, first, second)).contains(new IdempotencyStore.TakenOver(null));
        assertThat(store.takeOver(dsl, tenant, "slow", first, first, second.plusMillis(1))).as("a second retry comes too late").isEmpty();
        // The first request wakes: its recovery point refuses (its transaction rolls back), its answer is not kept.
        Idempotency.Claim stale = new Idempotency.Claim(tenant, "slow", first, null, store);
        assertThatThrownBy(() -> stale.recoveryPoint().reached(dsl, "cn_x")).isInstanceOfSatisfying(Problem.class,
                p -> assertThat(p.code()).isEqualTo("idempotency_key_taken_over"));
        store.complete(dsl, tenant, "slow", first, new Idempotency.Answer(200, "application/json", "{\"first\":true}"));
        store.release(dsl, tenant, "slow", first);
        assertThat(store.find(dsl, tenant, "slow")).get().satisfies(e -> {
            assertThat(e.state()).isEqualTo("running");
            assertThat(e.recovery()).isNull();
        });
        new Idempotency.Claim(tenant, "slow", second, null, store).recoveryPoint().reached(dsl, "cn_y");
        store.complete(dsl, tenant, "slow", second, new Idempotency.Answer(200, "application/json", "{\"second\":true}"));
        assertThat(store.find(dsl, tenant, "slow")).get().satisfies(e -> {
            assertThat(e.state()).isEqualTo("done");
            assertThat(e.body()).isEqualTo("{\"second\":true}");
            assertThat(e.recovery()).isEqualTo("cn_y");
        });
    }

    @Test
    void aTakeOverWaitingForTheCutOffRequestsRecordSeesIt() throws Exception {
        // The first request is not dead but slow: it records its credit note while a retry takes its key over. The
        // retry waits for the row, and must then resume from that note, not make another.
        IdempotencyStore store = store();
        String tenant = api.tenant.id();
        Instant first = claimTime().minus(Duration.ofMinutes(6));
        assertThat(store.tryClaim(server.app.db.dsl(), tenant, "racing", "h", first, first)).isTrue();
        java.util.concurrent.CountDownLatch recorded = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch commit = new java.util.concurrent.CountDownLatch(1);
        Thread slow = new Thread(() -> server.app.db.tx(tx -> {
            new Idempotency.Claim(tenant, "racing", first, null, store).recoveryPoint().reached(tx, "cn_racing");
            recorded.countDown();
            try {
                commit.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return null;
        }));
        slow.start();
        recorded.await();
        var taking = java.util.concurrent.CompletableFuture.supplyAsync(() -> server.app.db.tx(
                tx -> store.takeOver(tx, tenant, "racing", first, first, claimTime())), Running.OWN_THREAD);
        Thread.sleep(300); // the take-over is waiting for the row
        commit.countDown();
        slow.join();
        assertThat(taking.get(20, java.util.concurrent.TimeUnit.SECONDS)).contains(new IdempotencyStore.TakenOver("cn_racing"));
    }

    @Test
    void workThatMadeSomethingBeforeFailingIsResumedByTheApiAndNeverRunAgainByAConsoleForm() {
        IdempotencyStore store = store();
        Idempotency idempotency = new Idempotency(server.app.db, store, server.app.clock);
        Idempotency.Scope scope = new Idempotency.Scope(api.tenant, "console");
        byte[] form = "amount=500\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.util.List<String> runs = new java.util.ArrayList<>();
        // The work records its credit note, then fails (the refund's answer could not be written, say).
        java.util.function.Function<Idempotency.Claim, Idempotency.Answer> failing = claim -> {
            runs.add(claim.resumedFrom() == null ? "new" : "resumed from " + claim.resumedFrom());
            server.app.db.tx(tx -> {
                claim.recoveryPoint().reached(tx, "cn_made");
                return null;
            });
            throw Problem.databaseUnavailable();
        };
        java.util.function.Function<Idempotency.Claim, Idempotency.Answer> answering = claim -> {
            runs.add(claim.resumedFrom() == null ? "new" : "resumed from " + claim.resumedFrom());
            return new Idempotency.Answer(200, "application/json", "{\"id\":\"" + claim.resumedFrom() + "\"}");
        };

        assertThatThrownBy(() -> idempotency.runFormWithin(scope, "form-token", "POST", "/console/credit", form, failing))
                .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.status()).isEqualTo(503));
        // The same form sent again: refused at once (no request left to wait for), not run a second time.
        assertThatThrownBy(() -> idempotency.runFormWithin(scope, "form-token", "POST", "/console/credit", form, answering))
                .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.code()).isEqualTo("idempotency_key_in_progress"));
        assertThat(runs).containsExactly("new");

        // Through the API's way the retry resumes from the note at once.
        assertThatThrownBy(() -> idempotency.run(api.tenant, "api-key", "POST", "/v1/invoices/x/credit_notes", form, failing))
                .isInstanceOf(Problem.class);
        Idempotency.Answer resumed = idempotency.run(api.tenant, "api-key", "POST", "/v1/invoices/x/credit_notes", form, answering);
        assertThat(resumed.body()).isEqualTo("{\"id\":\"cn_made\"}");
        assertThat(runs).containsExactly("new", "new", "resumed from cn_made");
    }

    @Test
    void aRequestRunningPastTheBoundKeepsItsKeyAliveAndTheRetryGetsItsAnswer() throws Exception {
        // Decision 077: a pay trying many slow cards, say, still runs 6 minutes after its claim. Its process said a minute
        // ago that it does, so the retry waits for it and gets its answer instead of taking the key over.
        Movable system = new Movable();
        Idempotency idempotency = idempotencyOn(system);
        Running first = running(idempotency, "long-pay");
        system.move(Duration.ofMinutes(4));
        Runnable stop = idempotency.keepingAlive(Duration.ofMillis(50), server.app.db);
        try {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (aliveAt("long-pay") == null && System.nanoTime() < deadline) Thread.sleep(20);
        } finally {
            stop.run();
        }
        assertThat(aliveAt("long-pay")).as("said alive by its own thread, on the moved clock")
                .isBetween(TestClocks.now().plus(Duration.ofMinutes(4)).minusSeconds(60), system.instant());
        system.move(Duration.ofMinutes(2)); // 6 minutes after the claim, 2 after its last sign

        var retry = java.util.concurrent.CompletableFuture.supplyAsync(() -> retry(idempotency, "long-pay", first), Running.OWN_THREAD);
        Thread.sleep(300);
        assertThat(retry).as("the retry waits for the request still running").isNotDone();
        first.finish.countDown();
        assertThat(first.answer.get(20, java.util.concurrent.TimeUnit.SECONDS).body()).isEqualTo("{\"run\":\"first\"}");
        Idempotency.Answer replayed = retry.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(replayed.body()).isEqualTo("{\"run\":\"first\"}");
        assertThat(replayed.replayed()).isTrue();
        assertThat(first.runs).containsExactly("first");
        assertThat(idempotency.held()).as("no claim held once answered").isZero();
    }

    @Test
    void aKeyWhoseProcessFellSilentIsTakenOverTheBoundAfterItsLastSign() throws Exception {
        Movable system = new Movable();
        Idempotency idempotency = idempotencyOn(system);
        Running first = running(idempotency, "silent-pay");
        system.move(Duration.ofMinutes(4));
        assertThat(idempotency.keepAlive(server.app.db)).isEqualTo(1);
        // Then nothing more: as if its process were stopped. 5 minutes after its last sign a retry takes the key over.
        system.move(Idempotency.TAKEN_OVER_AFTER.plusSeconds(1));
        Idempotency.Answer retry = retry(idempotency, "silent-pay", first);
        assertThat(retry.replayed()).isFalse();
        assertThat(first.runs).containsExactly("first", "retry");
        assertThat(idempotency.keepAlive(server.app.db)).as("the old claim is no longer the key's: nothing is said for it").isZero();
        first.finish.countDown();
        first.answer.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(idempotency.held()).as("no claim held once answered").isZero();
        assertThat(store().find(server.app.db.dsl(), api.tenant.id(), "silent-pay")).get()
                .satisfies(e -> assertThat(e.body()).as("the answer kept is the retry's").isEqualTo("{\"run\":\"retry\"}"));
    }

    @Test
    void aKeyReleasedWithWhatItMadeIsTakenOverAtOnceWhateverItsLastSign() {
        var dsl = server.app.db.dsl();
        IdempotencyStore store = store();
        String tenant = api.tenant.id();
        Instant claimed = claimTime().minus(Duration.ofMinutes(3));
        assertThat(store.tryClaim(dsl, tenant, "released", "h", claimed, claimed)).isTrue();
        assertThat(store.keepAlive(dsl, tenant, "released", claimed, claimTime())).isTrue();
        new Idempotency.Claim(tenant, "released", claimed, null, store).recoveryPoint().reached(dsl, "cn_made");
        store.release(dsl, tenant, "released", claimed);
        assertThat(store.find(dsl, tenant, "released")).get().satisfies(e -> {
            assertThat(e.claimedAt()).isEqualTo(IdempotencyStore.RELEASED);
            assertThat(e.aliveAt()).as("a sign of life of the request that let it go").isNull();
        });
        Instant now = claimTime();
        assertThat(store.takeOver(dsl, tenant, "released", IdempotencyStore.RELEASED, now.minus(Idempotency.TAKEN_OVER_AFTER), now))
                .contains(new IdempotencyStore.TakenOver("cn_made"));
        // And a key said alive after the retry read it is not taken over.
        assertThat(store.keepAlive(dsl, tenant, "released", now, now.plusSeconds(1))).isTrue();
        assertThat(store.takeOver(dsl, tenant, "released", now, now, now.plusSeconds(2))).isEmpty();
    }

    @Test
    void aServerKeepsItsRunningKeysAliveFromItsStartToItsStop() {
        long before = keepAliveThreads();
        try (TestServer.Client own = TestServer.start(database, c -> c)) {
            assertThat(keepAliveThreads()).as("started with the server").isEqualTo(before + 1);
        }
        assertThat(keepAliveThreads()).as("stopped with it").isEqualTo(before);
    }

    private static long keepAliveThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("idempotency-keep-alive") && t.isAlive()).count();
    }

    /** The system's clock, moved by a test (the keys' claim times and signs of life are on it). */
    private static final class Movable extends java.time.Clock {
        private volatile Duration moved = Duration.ZERO;

        void move(Duration by) {
            moved = moved.plus(by);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return TestClocks.SYSTEM.instant().plus(moved);
        }
    }

    /** Requests started by a test, let finish after it whatever its outcome. */
    private final java.util.List<Running> started = new java.util.ArrayList<>();

    private Running running(Idempotency idempotency, String key) throws InterruptedException {
        Running r = Running.start(idempotency, api.tenant, key);
        started.add(r);
        return r;
    }

    @org.junit.jupiter.api.AfterEach
    void finishStarted() {
        started.forEach(r -> r.finish.countDown());
    }

    /** The same request as {@code first} sent again under {@code key}; its work, if it runs, is recorded as "retry". */
    private Idempotency.Answer retry(Idempotency idempotency, String key, Running first) {
        return idempotency.run(api.tenant, key, "POST", Running.PATH, Running.BODY, claim -> {
            first.runs.add("retry");
            return new Idempotency.Answer(200, "application/json", "{\"run\":\"retry\"}");
        });
    }

    private Idempotency idempotencyOn(java.time.Clock system) {
        return new Idempotency(server.app.db, store(), new tollgate.tenants.TenantClock(system, new tollgate.tenants.TenantStore(), server.app.db));
    }

    /** A request under a key whose work runs until {@code finish}, started on a thread of its own. */
    private record Running(java.util.List<String> runs, java.util.concurrent.CountDownLatch finish,
                           java.util.concurrent.CompletableFuture<Idempotency.Answer> answer) {
        static final String PATH = "/v1/invoices/in_x/pay";
        static final byte[] BODY = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        /** Not the common pool: a request left waiting by a failed test must not hold up the others' threads. */
        static final java.util.concurrent.Executor OWN_THREAD = r -> Thread.ofPlatform().daemon().start(r);

        static Running start(Idempotency idempotency, tollgate.tenants.Tenant tenant, String key) throws InterruptedException {
            java.util.List<String> runs = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            var started = new java.util.concurrent.CountDownLatch(1);
            var finish = new java.util.concurrent.CountDownLatch(1);
            var answer = java.util.concurrent.CompletableFuture.supplyAsync(() -> idempotency.run(tenant, key, "POST", PATH, BODY, claim -> {
                runs.add("first");
                started.countDown();
                try {
                    finish.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return new Idempotency.Answer(200, "application/json", "{\"run\":\"first\"}");
            }), OWN_THREAD);
            if (!started.await(20, java.util.concurrent.TimeUnit.SECONDS)) throw new IllegalStateException("the request never started its work: " + answer);
            return new Running(runs, finish, answer);
        }
    }

    private Instant aliveAt(String key) {
        return server.app.db.dsl().fetchOne("select alive_at from idempotency_keys where tenant_id = ? and idem_key = ?",
                api.tenant.id(), key).get(0, Instant.class);
    }

    /** The key store as the server has it (its answers sealed with the server's key). */
    private IdempotencyStore store() {
        return new IdempotencyStore(new tollgate.core.Vault(server.config.encryptionKeyBytes()));
    }

    /** Now, as the server dates a claim: the system's time to the millisecond. */
    private static Instant claimTime() {
        return TestClocks.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    /** An open invoice of 25.00 on the account, sent for payment (no charge yet), and a working card. */
    private String openInvoiceWithACard() {
        String plan = Fixtures.flatPlan(api, "usd");
        Res sub = api.post("/v1/accounts/" + account + "/subscriptions",
                "{\"plan\":\"" + plan + "\",\"collection_method\":\"send_invoice\",\"days_until_due\":30}");
        assertThat(sub.status()).as(sub.toString()).isEqualTo(200);
        Fixtures.attachCard(api, account, "tok_visa");
        String invoice = api.get("/v1/accounts/" + account + "/invoices").json().at("/data/0/id").asText();
        assertThat(api.get("/v1/invoices/" + invoice).str("status")).isEqualTo("open");
        return invoice;
    }

    /** The request sent while writing its kept answer fails as a database shutting down does. */
    private Res cutOff(String path, String body, Map<String, String> key) {
        try (FailingWrites gone = FailingWrites.keptAnswers(server.app.db, database, api.tenant.id())) {
            return api.post(path, body, key);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Makes the key's claim {@code old}, as if that long had passed since its request was cut off. */
    private void age(String key, Duration old) {
        int aged = server.app.db.dsl().execute("update idempotency_keys set claimed_at = ? where tenant_id = ? and idem_key = ? "
                + "and state = 'running'", TestClocks.now().minus(old), api.tenant.id(), key);
        assertThat(aged).as("the key is left running").isEqualTo(1);
    }

    private String recovery(String key) {
        return server.app.db.dsl().fetchOne("select recovery from idempotency_keys where tenant_id = ? and idem_key = ?",
                api.tenant.id(), key).get(0, String.class);
    }

    private long sandboxCharges(String invoice) {
        return server.app.db.dsl().fetchOne("select count(*) from sandbox_charges c join payment_attempts a "
                + "on a.idempotency_key = c.idempotency_key where a.invoice_id = ?", invoice).get(0, Long.class);
    }

    private long sandboxRefunds(String invoice) {
        return server.app.db.dsl().fetchOne("select count(*) from sandbox_refunds s join refunds r on r.idempotency_key = s.idempotency_key "
                + "where r.invoice_id = ?", invoice).get(0, Long.class);
    }

    private int creditNotes(String invoice) {
        return api.get("/v1/invoices/" + invoice + "/credit_notes").json().get("data").size();
    }

    private int endpoints() {
        return api.get("/v1/webhook_endpoints").json().get("data").size();
    }

    private int cards() {
        return api.get("/v1/accounts/" + account + "/payment_methods").json().get("data").size();
    }
}
