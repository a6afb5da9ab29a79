package tollgate.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.invoicing.InvoiceStore;
import tollgate.testing.ApiClient;
import tollgate.testing.Scenario;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * Issue #5: "if the process dies after the gateway call and before the commit, the attempt is resolved on restart from
 * the gateway, never charged again", and a gateway that cannot say (timeout, 5xx) leaves an attempt that is resolved
 * later. The death is real where it matters: a second {@link Payments} over the same database, whose gateway charges
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
        public ChargeResult charge(ChargeRequest request) {
            sandbox.charge(request);
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
        public ChargeResult charge(ChargeRequest request) {
            calls.incrementAndGet();
            return ChargeResult.unknown("read timed out");
        }
    }

    private TestServer server;
    private ApiClient api;
    private String account;
    private String invoice;

    /** A paying account subscribed at START: its invoice is issued, its first charge due at START and not yet run. */
    private void issued(String token) {
        server = TestServer.on(database);
        api = Scenario.tenantAt(server, START);
        account = api.newAccount("Shop", "usd", "UTC");
        assertThat(api.post("/v1/accounts/" + account + "/payment_methods", "{\"token\":\"" + token + "\"}").status()).isEqualTo(200);
        String plan = api.post("/v1/plans", "{\"name\":\"Hosting\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":2500}").str("id");
        assertThat(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\"}").status()).isEqualTo(200);
        invoice = api.get("/v1/accounts/" + account + "/invoices").json().at("/data/0/id").asText();
    }

    private Payments paymentsThrough(Gateway gateway) {
        return new Payments(server.app.db, new InvoiceStore(), new PaymentAttemptStore(server.app.db), new PaymentMethodStore(),
                new PaymentStore(), new Gateways(gateway, null), server.app.timeline, server.app.clock, server.app.events);
    }

    private SandboxGateway sandbox() {
        return new SandboxGateway(new SandboxLedger(server.app.db, Clock.systemUTC()));
    }

    private long sandboxCharges() {
        return server.app.db.dsl().fetchOne("select count(*) from sandbox_charges c join payment_attempts a "
                + "on a.idempotency_key = c.idempotency_key where a.invoice_id = ?", invoice).get(0, Long.class);
    }

    private JsonNode attempts() {
        return api.get("/v1/invoices/" + invoice + "/payment_attempts").json().get("data");
    }

    private void advance(String to) {
        assertThat(api.post("/v1/test_clock/advance", "{\"to\":\"" + to + "\"}").status()).isEqualTo(200);
    }

    @Test
    void aRoundCutOffAfterTheGatewayChargedIsResolvedByTheRetriedJobAndNotChargedAgain() {
        issued("tok_visa");
        Payments dying = paymentsThrough(new DiesAfterCharging(sandbox()));
        // The invoice.charge job's transaction, cut off: the charge went through, the round never committed.
        assertThatThrownBy(() -> server.app.db.tx(tx -> dying.chargeRound(tx, api.tenant, invoice, PaymentAttempt.Reason.ISSUE, null, START)))
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
        assertThatThrownBy(() -> dying.pay(api.tenant, invoice, null)).hasMessageContaining("process died");
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
        Payments.Round undecided = round.pay(api.tenant, invoice, null);
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
        assertThat(paymentsThrough(new TimesOut()).pay(api.tenant, invoice, null).outcome()).isEqualTo(Payments.Outcome.UNDECIDED);
        String before = api.get("/v1/invoices/" + invoice).text();

        for (var refused : java.util.List.of(
                api.post("/v1/invoices/" + invoice + "/record_payment", "{\"amount\":2500,\"method\":\"wire\"}"),
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
        assertThat(timingOut.pay(api.tenant, invoice, null).outcome()).isEqualTo(Payments.Outcome.UNDECIDED);
        String oldKey = server.app.db.dsl().fetchOne("select idempotency_key from payment_attempts where invoice_id = ?", invoice)
                .get(0, String.class);

        // 21 hours later Stripe may have forgotten the key: asking again could charge again, so the charge is given up.
        Instant late = START.plus(java.time.Duration.ofHours(21));
        Payments.Round round = server.app.db.tx(tx -> timingOut.resolve(tx, api.tenant, invoice, late));
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
}
