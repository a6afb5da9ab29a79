package tollgate.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.Scenario;
import tollgate.testing.TestClocks;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;
import tollgate.tenants.Ctx;

/**
 * Issue #5: "if the process dies after the gateway call and before the commit, the attempt is resolved on restart from
 * the gateway, never charged again", and a gateway that cannot say (timeout, 5xx) leaves an attempt that is resolved
 * later; so does a charging job that fails until the timeline gives up on it (decision 011). The death is real where it matters: a second {@link Payments} over the same database, whose gateway charges
 * the sandbox and then throws before the round's transaction can commit. Everything after that is done by the server's
 * own jobs, as after a restart (all state is in the database).
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class NeverChargedTwiceTest {
    private static final Instant START = Instant.parse("2030-01-01T10:00:00Z");

    @Parameter
    TestDatabase database;

    /** The process dies right after the gateway answered: the charge happened, nothing of the round committed. */
    static final class DiesAfterCharging implements Gateway {
        private final SandboxGateway sandbox;

        DiesAfterCharging(SandboxGateway sandbox) {
            this.sandbox = sandbox;
        }

        @Override
        public String name() { return SandboxGateway.NAME; }

        @Override
        public Optional<Card> describe(String token) { return sandbox.describe(token); }

        @Override
        public DebitResult debit(DebitRequest request) {
            sandbox.debit(request);
            throw new IllegalStateException("the process died after the gateway answered");
        }
    }

    /** A gateway that times out: it cannot say whether anything was charged (and here nothing was). */
    static final class TimesOut implements Gateway {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public String name() { return SandboxGateway.NAME; }

        @Override
        public Optional<Card> describe(String token) { return Optional.empty(); }

        @Override
        public DebitResult debit(DebitRequest request) {
            calls.incrementAndGet();
            return DebitResult.unknown("read timed out");
        }
    }

    private TestServer server;
    private ApiClient api;
    private String account;
    private String method;
    private String invoice;

    /**
     * A paying account invoiced at START for a month of hosting, as the billing run issues it: its first charge due at
     * START and not yet run. (Issued directly: a signup through the API runs that charge before it answers, decision 022.)
     */
    /** An invoice issued at START, its charge due; {@code more} cards are attached before it (any later POST runs the charge). */
    private void issued(String token, String... more) {
        server = TestServer.on(database);
        api = Scenario.tenantAt(server, START);
        account = api.newAccount("Shop", "usd", "UTC");
        var attached = api.post("/v1/accounts/" + account + "/payment_methods", "{\"token\":\"" + token + "\"}");
        assertThat(attached.status()).isEqualTo(200);
        method = attached.str("id");
        for (String other : more)
            assertThat(api.post("/v1/accounts/" + account + "/payment_methods", "{\"token\":\"" + other + "\"}").status()).isEqualTo(200);
        String plan = api.post("/v1/plans", "{\"name\":\"Hosting\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":2500}").str("id");
        Instant end = Instant.parse("2030-02-01T10:00:00Z");
        tollgate.invoicing.NewInvoice month = new tollgate.invoicing.NewInvoice(account, "usd", START, START, end,
                java.util.List.of(new tollgate.invoicing.InvoiceLine("subscription", "Hosting, monthly", plan, null, null, null, null,
                        START, end, 1, null, 2500)), java.util.List.of());
        server.app.db.tx(tx -> server.app.invoices.issue(new Ctx(tx, api.tenant, START),
                server.app.invoices.lockBuyers(new Ctx(tx, api.tenant, START), java.util.List.of(account), START), java.util.List.of(month)));
        invoice = api.get("/v1/accounts/" + account + "/invoices").json().at("/data/0/id").asText();
    }

    private Payments paymentsThrough(Gateway gateway) {
        return new Payments(server.app.db, server.app.receivables, new PaymentAttemptStore(server.app.db), new PaymentMethodStore(),
                new PaymentStore(), new Gateways(gateway, null), server.app.timeline, server.app.clock, server.app.events);
    }

    private SandboxGateway sandbox() {
        return new SandboxGateway(new SandboxLedger(server.app.db, TestClocks.SYSTEM));
    }

    private long sandboxCharges() {
        return server.app.db.dsl().fetchOne("select count(*) from sandbox_charges c join payment_attempts a "
                + "on a.idempotency_key = c.idempotency_key where a.invoice_id = ?", invoice).get(0, Long.class);
    }

    /** The invoice's attempts, oldest first (the list answers newest first). */
    private JsonNode attempts() {
        com.fasterxml.jackson.databind.node.ArrayNode oldestFirst = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        api.get("/v1/invoices/" + invoice + "/payment_attempts").json().get("data").forEach(a -> oldestFirst.insert(0, a));
        return oldestFirst;
    }

    private void advance(String to) {
        assertThat(api.post("/v1/test_clock/advance", "{\"to\":\"" + to + "\"}").status()).isEqualTo(200);
    }

    private JsonNode events(String type) {
        return api.get("/v1/events?limit=100&type=" + type).json().get("data");
    }

    /** The kinds of the timeline rows the tenant was told died, oldest first. */
    private java.util.List<String> deadJobs() {
        java.util.List<String> kinds = new java.util.ArrayList<>();
        for (JsonNode e : events("timeline.job_dead")) {
            assertThat(e.at("/data/attempts").asInt()).isEqualTo(5);
            kinds.addFirst(e.at("/data/kind").asText());
        }
        return kinds;
    }

    /** The card's token at the gateway: one the sandbox does not know makes every charge to the card throw. */
    private void cardToken(String token) {
        server.app.db.dsl().execute("update payment_methods set gateway_ref = ? where id = ?", token, method);
    }

    /**
     * From now on, while the answer is true, the bookkeeping of this tenant's rounds fails after the card was charged: the
     * charge goes through at the gateway and the round's transaction rolls back, as in a process that died there.
     */
    private java.util.concurrent.atomic.AtomicBoolean bookkeepingFailsAfterCharging() {
        var failing = new java.util.concurrent.atomic.AtomicBoolean(true);
        String tenant = api.tenant.id();
        server.app.payments.onRound((ctx, round) -> {
            if (failing.get() && ctx.tenantId().equals(tenant) && round.outcome() == Payments.Outcome.PAID)
                throw new IllegalStateException("the round's bookkeeping failed after the card was charged");
        });
        return failing;
    }

    @Test
    void aRoundCutOffAfterTheGatewayChargedIsResolvedByTheRetriedJobAndNotChargedAgain() {
        issued("tok_visa");
        Payments dying = paymentsThrough(new DiesAfterCharging(sandbox()));
        // The invoice.charge job's transaction, cut off: the charge went through, the round never committed.
        assertThatThrownBy(() -> server.app.db.tx(tx -> dying.paymentRound(new Ctx(tx, api.tenant, START), invoice, PaymentAttempt.Reason.ISSUE, null)))
                .hasMessageContaining("process died");
        assertThat(sandboxCharges()).isEqualTo(1);
        assertThat(attempts()).hasSize(1);
        assertThat(attempts().at("/0/status").asText()).isEqualTo("pending");
        assertThat(api.get("/v1/invoices/" + invoice).str("status")).isEqualTo("open");

        // After the restart the invoice.charge row (never marked done) runs again: it asks about the pending charge first.
        advance("2030-01-01T10:00:00Z");

        JsonNode paid = api.get("/v1/invoices/" + invoice).json();
        assertThat(paid.get("status").asText()).isEqualTo("paid");
        assertThat(paid.get("amount_paid").asLong()).isEqualTo(2500);
        assertThat(paid.get("attempt_count").asInt()).isEqualTo(1);
        assertThat(attempts()).hasSize(1);
        assertThat(attempts().at("/0/status").asText()).isEqualTo("succeeded");
        assertThat(sandboxCharges()).as("charged once, in all").isEqualTo(1);
        assertThat(api.get("/v1/invoices/" + invoice + "/payments").json().get("data")).hasSize(1);
    }

    @Test
    void aPayCutOffAfterTheGatewayChargedIsResolvedAnHourLaterAndNotChargedAgain() {
        issued("tok_chargeDeclined");
        advance("2030-01-01T10:00:00Z"); // the charge at issue is declined: past due
        assertThat(api.get("/v1/invoices/" + invoice).str("status")).isEqualTo("open");
        assertThat(api.post("/v1/accounts/" + account + "/payment_methods", "{\"token\":\"tok_visa\",\"primary\":true}").status()).isEqualTo(200);

        Payments dying = paymentsThrough(new DiesAfterCharging(sandbox()));
        assertThatThrownBy(() -> dying.pay(api.tenant, invoice, null, tollgate.core.RecoveryPoint.NONE)).hasMessageContaining("process died");
        assertThat(sandboxCharges()).isEqualTo(2); // the declined one at issue, and the one that went through
        assertThat(api.get("/v1/invoices/" + invoice).str("status")).isEqualTo("open");

        // Nobody pays again; the payment.resolve row written before the round asks the gateway an hour later.
        advance("2030-01-01T11:00:00Z");

        JsonNode paid = api.get("/v1/invoices/" + invoice).json();
        assertThat(paid.get("status").asText()).isEqualTo("paid");
        assertThat(paid.get("amount_paid").asLong()).isEqualTo(2500);
        assertThat(attempts()).hasSize(2);
        assertThat(attempts().at("/1/status").asText()).isEqualTo("succeeded");
        assertThat(attempts().at("/1/reason").asText()).isEqualTo("pay");
        assertThat(sandboxCharges()).isEqualTo(2);
        // Paid, so dunning ended.
        assertThat(api.get("/v1/accounts/" + account + "/entitlements").json().get("past_due_amount").asLong()).isZero();
    }

    @Test
    void aGatewayTimeoutIsRecordedAsUnknownAndResolvedLaterWithTheSameKey() {
        issued("tok_visa");
        TimesOut timesOut = new TimesOut();
        Payments round = paymentsThrough(timesOut);
        Payments.Round undecided = round.pay(api.tenant, invoice, null, tollgate.core.RecoveryPoint.NONE);
        assertThat(undecided.outcome()).isEqualTo(Payments.Outcome.UNDECIDED);
        assertThat(timesOut.calls.get()).as("no second card is tried while the first is undecided").isEqualTo(1);
        assertThat(attempts()).hasSize(1);
        assertThat(attempts().at("/0/status").asText()).isEqualTo("unknown");
        assertThat(attempts().at("/0/resolved_at").isNull()).isTrue();
        assertThat(api.get("/v1/invoices/" + invoice).str("status")).isEqualTo("open");
        String key = server.app.db.dsl().fetchOne("select idempotency_key from payment_attempts where invoice_id = ?", invoice)
                .get(0, String.class);

        // The issue's own charge job runs now too: it asks about the undecided charge (with the same key) before
        // charging anything new, so the invoice is charged once.
        advance("2030-01-01T11:00:00Z");

        JsonNode paid = api.get("/v1/invoices/" + invoice).json();
        assertThat(paid.get("status").asText()).isEqualTo("paid");
        assertThat(attempts()).hasSize(1);
        assertThat(attempts().at("/0/status").asText()).isEqualTo("succeeded");
        assertThat(server.app.db.dsl().fetchOne("select count(*) from sandbox_charges where idempotency_key = ?", key)
                .get(0, Long.class)).isEqualTo(1);
        assertThat(sandboxCharges()).isEqualTo(1);
    }

    @Test
    void whileAChargeIsUndecidedNoWireCreditOrVoidMayTakeTheInvoicesMoney() {
        issued("tok_visa");
        assertThat(paymentsThrough(new TimesOut()).pay(api.tenant, invoice, null, tollgate.core.RecoveryPoint.NONE).outcome()).isEqualTo(Payments.Outcome.UNDECIDED);
        String before = api.get("/v1/invoices/" + invoice).text();

        for (var refused : java.util.List.of(
                api.post("/v1/invoices/" + invoice + "/record_payment", "{\"amount\":2500,\"method\":\"wire\",\"reference\":\"TRF-1\"}"),
                api.post("/v1/invoices/" + invoice + "/credit_notes", "{}"),
                api.post("/v1/invoices/" + invoice + "/void", "{}"))) {
            assertThat(refused.status()).as(refused.text()).isEqualTo(409);
            assertThat(refused.code()).isEqualTo("payment_pending");
        }
        assertThat(api.get("/v1/invoices/" + invoice).text()).isEqualTo(before);
        assertThat(api.get("/v1/invoices/" + invoice + "/credit_notes").json().get("data")).isEmpty();
    }

    @Test
    void aChargeStillUndecidedAfterTwentyHoursIsGivenUpAndTheNextRoundUsesANewKey() {
        issued("tok_visa");
        Payments timingOut = paymentsThrough(new TimesOut());
        assertThat(timingOut.pay(api.tenant, invoice, null, tollgate.core.RecoveryPoint.NONE).outcome()).isEqualTo(Payments.Outcome.UNDECIDED);
        String oldKey = server.app.db.dsl().fetchOne("select idempotency_key from payment_attempts where invoice_id = ?", invoice)
                .get(0, String.class);

        // 21 hours later Stripe may have forgotten the key: asking again could charge again, so the charge is given up.
        Instant late = START.plus(java.time.Duration.ofHours(21));
        Payments.Round round = server.app.db.tx(tx -> timingOut.resolve(new tollgate.tenants.Ctx(tx, api.tenant, late), invoice));
        assertThat(round.outcome()).isEqualTo(Payments.Outcome.FAILED);
        assertThat(attempts()).hasSize(1);
        assertThat(attempts().at("/0/status").asText()).isEqualTo("unresolved");
        assertThat(api.get("/v1/events?type=payment_attempt.unresolved").json().get("data")).hasSize(1);
        assertThat(server.app.db.dsl().fetchCount(server.app.db.dsl().selectFrom("sandbox_charges")
                .where("idempotency_key = ?", oldKey))).as("never sent again").isZero();

        // The issue's own charge job then runs a new round: a new attempt, a new key, and the card pays.
        advance("2030-01-01T10:00:00Z");
        assertThat(api.get("/v1/invoices/" + invoice).str("status")).isEqualTo("paid");
        assertThat(attempts()).hasSize(2);
        assertThat(attempts().at("/1/status").asText()).isEqualTo("succeeded");
        assertThat(attempts().at("/1/attempt").asInt()).isEqualTo(2);
        assertThat(sandboxCharges()).isEqualTo(1);
    }
    @Test
    void aChargeJobThatDiesAfterTheCardWasChargedIsAskedAgainAnHourLaterWithTheSameKeyAndChargedOnce() {
        issued("tok_visa");
        var failing = bookkeepingFailsAfterCharging();

        // The charge at issue and its retries at 10:01, 10:03, 10:07 and 10:15 all fail; the row dies at the fifth.
        advance("2030-01-01T10:15:00Z");
        assertThat(deadJobs()).containsExactly(Payments.CHARGE_JOB);
        assertThat(events("timeline.job_dead").at("/0/data/ref").asText()).isEqualTo(invoice);
        assertThat(events("timeline.job_dead").at("/0/created_at").asText()).isEqualTo("2030-01-01T10:15:00Z");
        assertThat(attempts()).hasSize(1);
        assertThat(attempts().at("/0/status").asText()).isEqualTo("pending");
        assertThat(api.get("/v1/invoices/" + invoice).str("status")).isEqualTo("open");
        assertThat(sandboxCharges()).as("asked five times, charged once").isEqualTo(1);

        // Whatever failed is fixed; an hour after the row died, the charge is asked about again with its key.
        failing.set(false);
        advance("2030-01-01T11:15:00Z");

        JsonNode paid = api.get("/v1/invoices/" + invoice).json();
        assertThat(paid.get("status").asText()).isEqualTo("paid");
        assertThat(paid.get("amount_paid").asLong()).isEqualTo(2500);
        assertThat(paid.get("attempt_count").asInt()).isEqualTo(1);
        assertThat(attempts()).hasSize(1);
        assertThat(attempts().at("/0/status").asText()).isEqualTo("succeeded");
        assertThat(attempts().at("/0/resolved_at").asText()).isEqualTo("2030-01-01T11:15:00Z");
        assertThat(sandboxCharges()).isEqualTo(1);
        assertThat(api.get("/v1/invoices/" + invoice + "/payments").json().get("data")).hasSize(1);
        assertThat(deadJobs()).hasSize(1);
    }

    @Test
    void aChargeNoJobCouldFinishIsGivenUpAfterTwentyHoursAndTheInvoiceGoesIntoDunning() {
        issued("tok_visa");
        cardToken("tok_unknownToTheSandbox");

        advance("2030-01-01T10:15:00Z");
        assertThat(deadJobs()).containsExactly(Payments.CHARGE_JOB);
        assertThat(attempts().at("/0/status").asText()).isEqualTo("pending");
        // Undecided: the gateway may yet have charged it, so no other way of paying is taken meanwhile.
        assertThat(api.post("/v1/invoices/" + invoice + "/record_payment", "{\"amount\":2500,\"method\":\"wire\",\"reference\":\"TRF-1\"}").code())
                .isEqualTo("payment_pending");

        // Asked again an hour after each death (11:15, 12:30, ... 06:00 the next day), each ask dying in turn, until the
        // retry at 06:01, past 20 hours, gives the charge up: it counts as declined and the invoice becomes past due.
        advance("2030-01-02T12:00:00Z");

        assertThat(attempts()).hasSize(1);
        assertThat(attempts().at("/0/status").asText()).isEqualTo("unresolved");
        assertThat(attempts().at("/0/resolved_at").asText()).isEqualTo("2030-01-02T06:01:00Z");
        assertThat(events("payment_attempt.unresolved")).hasSize(1);
        assertThat(deadJobs()).hasSize(16).first().isEqualTo(Payments.CHARGE_JOB);
        assertThat(deadJobs().subList(1, 16)).containsOnly(Payments.RESOLVE_JOB);
        JsonNode failed = events("invoice.payment_failed");
        assertThat(failed).hasSize(1);
        assertThat(failed.at("/0/data/decline_reason").asText()).isEqualTo("unresolved");
        assertThat(events("invoice.past_due").at("/0/data/past_due_at").asText()).isEqualTo("2030-01-02T06:01:00Z");
        JsonNode invoiceNow = api.get("/v1/invoices/" + invoice).json();
        assertThat(invoiceNow.get("status").asText()).isEqualTo("open");
        assertThat(invoiceNow.get("attempt_count").asInt()).isEqualTo(1);
        assertThat(invoiceNow.get("next_payment_attempt").asText()).isEqualTo("2030-01-05T06:01:00Z");
        assertThat(sandboxCharges()).isZero();
        assertThat(server.app.db.dsl().fetchCount(server.app.db.dsl().selectFrom("timeline")
                .where("tenant_id = ? and kind = ? and state = 'pending'", api.tenant.id(), Payments.RESOLVE_JOB)))
                .as("nothing left to ask about").isZero();
    }

    @Test
    void aDunningRetryThatDiesIsAskedAboutLaterWithTheSameKeyAndPaysTheInvoiceOnce() {
        issued("tok_chargeDeclinedOnce");
        advance("2030-01-01T10:00:00Z"); // declined at issue: past due, the retry on 4 January
        assertThat(api.get("/v1/invoices/" + invoice).str("next_payment_attempt")).isEqualTo("2030-01-04T10:00:00Z");
        cardToken("tok_unknownToTheSandbox");

        advance("2030-01-04T10:15:00Z");
        assertThat(deadJobs()).containsExactly("dunning.step");
        assertThat(attempts()).hasSize(2);
        assertThat(attempts().at("/1/status").asText()).isEqualTo("pending");
        assertThat(attempts().at("/1/reason").asText()).isEqualTo("retry");

        cardToken("tok_chargeDeclinedOnce");
        advance("2030-01-04T11:15:00Z");

        assertThat(api.get("/v1/invoices/" + invoice).str("status")).isEqualTo("paid");
        assertThat(attempts()).hasSize(2);
        assertThat(attempts().at("/1/status").asText()).isEqualTo("succeeded");
        assertThat(attempts().at("/1/resolved_at").asText()).isEqualTo("2030-01-04T11:15:00Z");
        assertThat(sandboxCharges()).as("the declined charge at issue and the retry's, once").isEqualTo(2);
        assertThat(events("account.dunning_ended")).hasSize(1);
    }

    @Test
    void aChargeGivenUpUnansweredEndsItsRoundWithoutTryingTheNextCard() {
        issued("tok_visa", "tok_mastercard");
        // The visa is charged, but recording it keeps failing: every ask hears "succeeded" and rolls back, until the
        // charge is 20 hours old and given up unanswered.
        bookkeepingFailsAfterCharging();

        advance("2030-01-03T12:00:00Z");

        // It may have taken the money (it did): the mastercard is not charged after it; the round failed, dunning decides.
        assertThat(attempts()).hasSize(1);
        assertThat(attempts().at("/0/status").asText()).isEqualTo("unresolved");
        assertThat(attempts().at("/0/payment_method").asText()).isEqualTo(method);
        assertThat(sandboxCharges()).isEqualTo(1);
        assertThat(events("payment_attempt.unresolved")).hasSize(1);
        assertThat(events("invoice.payment_failed")).hasSize(1);
    }
}
