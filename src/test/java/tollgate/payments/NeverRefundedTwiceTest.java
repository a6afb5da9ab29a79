package tollgate.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.Fixtures;
import tollgate.testing.Scenario;
import tollgate.testing.TestClocks;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * Issue #10: "A refund must never be made twice (idempotency key per refund, as charges are written ahead)". The
 * credit note and its pending refund commit before the gateway is asked; a refund whose answer was lost (the process
 * died, the gateway timed out) is asked about again an hour later with its own key, and a refused one voids its note.
 * The invoice is 25.00, paid by card on 1 Jan 2030 at 10:00 UTC.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class NeverRefundedTwiceTest {
    @Parameter
    TestDatabase database;
    TestServer server;
    ApiClient api;
    String account;
    String invoice;

    /** The process dies right after the gateway refunded: nothing after the gateway's answer is written. */
    static final class DiesAfterRefunding implements Gateway {
        private final SandboxGateway sandbox;

        DiesAfterRefunding(SandboxGateway sandbox) {
            this.sandbox = sandbox;
        }

        @Override
        public String name() { return SandboxGateway.NAME; }

        @Override
        public Optional<Card> describe(String token) { return sandbox.describe(token); }

        @Override
        public DebitResult debit(DebitRequest request) { return sandbox.debit(request); }

        @Override
        public RefundResult refund(RefundRequest request) {
            sandbox.refund(request);
            throw new IllegalStateException("the process died after the gateway refunded");
        }
    }

    /** A gateway that answers every refund with a fixed result and refunds nothing. */
    record Answers(RefundResult result) implements Gateway {
        @Override
        public String name() { return SandboxGateway.NAME; }

        @Override
        public Optional<Card> describe(String token) { return Optional.empty(); }

        @Override
        public DebitResult debit(DebitRequest request) { return DebitResult.unknown("not here"); }

        @Override
        public RefundResult refund(RefundRequest request) { return result; }
    }

    @BeforeEach
    void paidInvoice() {
        server = TestServer.on(database);
        api = Scenario.tenantAt(server, RefundsTest.NOW);
        String hosting = Fixtures.flatPlan(api, "usd");
        account = Fixtures.payingAccount(api, "Agency", "usd");
        assertThat(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + hosting + "\"}").status()).isEqualTo(200);
        advance(RefundsTest.NOW.toString());
        invoice = api.get("/v1/accounts/" + account + "/invoices").json().at("/data/0/id").asText();
    }

    private void advance(String to) {
        Res r = api.post("/v1/test_clock/advance", "{\"to\":\"" + to + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }

    private Refunds through(Gateway gateway) {
        return new Refunds(server.app.db, server.app.receivables, server.app.invoices, new PaymentStore(),
                new PaymentAttemptStore(server.app.db), server.app.balances, new Gateways(gateway, null), server.app.timeline,
                server.app.clock, server.app.events);
    }

    private JsonNode onlyRefund() {
        JsonNode refunds = api.get("/v1/invoices/" + invoice + "/refunds").json().get("data");
        assertThat(refunds).hasSize(1);
        return refunds.get(0);
    }

    private long ledgerRows(String key) {
        return server.app.db.dsl().fetchOne("select count(*) from sandbox_refunds where idempotency_key = ?", key).get(0, Long.class);
    }

    private int events(String type) {
        return api.get("/v1/events?limit=100&type=" + type + "&account=" + account).json().get("data").size();
    }

    @Test
    void aRefundWhoseAnswerWasLostInACrashIsAskedAgainWithItsKeyAndNotMadeAgain() {
        SandboxGateway sandbox = new SandboxGateway(new SandboxLedger(server.app.db, TestClocks.SYSTEM));
        assertThatThrownBy(() -> through(new DiesAfterRefunding(sandbox)).credit(api.tenant, invoice, null, 1000L, null, "payment", tollgate.core.RecoveryPoint.NONE))
                .hasMessageContaining("the process died");

        // The credit note and its refund were committed before the gateway was asked: the refund waits, pending.
        JsonNode pending = onlyRefund();
        assertThat(pending.get("status").asText()).isEqualTo("pending");
        String key = "refund_" + pending.get("id").asText();
        assertThat(ledgerRows(key)).isEqualTo(1);
        assertThat(events("charge.refunded")).isZero();

        advance("2030-01-01T11:00:00Z");
        JsonNode resolved = onlyRefund();
        assertThat(resolved.get("status").asText()).isEqualTo("succeeded");
        assertThat(resolved.get("gateway_refund").asText())
                .isEqualTo(server.app.db.dsl().fetchOne("select gateway_id from sandbox_refunds where idempotency_key = ?", key)
                        .get(0, String.class));
        assertThat(ledgerRows(key)).isEqualTo(1);
        assertThat(events("charge.refunded")).isEqualTo(1);
        // What the first refund took counts: 15.00 is left of the 25.00 payment.
        assertThat(api.post("/v1/invoices/" + invoice + "/credit_notes", "{\"amount\":1501,\"refund_to\":\"payment\"}").code())
                .isEqualTo("refund_exceeds_payment");
    }

    @Test
    void aRefundTheGatewayCouldNotDecideIsPendingUntilItIsAskedAgain() {
        Refunds.Credited credited = through(new Answers(RefundResult.pending(null, "read timed out")))
                .credit(api.tenant, invoice, null, 1000L, null, "payment", tollgate.core.RecoveryPoint.NONE);
        assertThat(credited.outcome()).isEqualTo(Refunds.Outcome.REFUND_PENDING);
        assertThat(credited.note().status()).isEqualTo("issued");
        assertThat(onlyRefund().get("status").asText()).isEqualTo("pending");

        // An hour later the real sandbox is asked, with the same key, and refunds for the first and only time.
        advance("2030-01-01T11:00:00Z");
        JsonNode resolved = onlyRefund();
        assertThat(resolved.get("status").asText()).isEqualTo("succeeded");
        assertThat(ledgerRows("refund_" + resolved.get("id").asText())).isEqualTo(1);
        advance("2030-01-02T11:00:00Z");
        assertThat(events("charge.refunded")).isEqualTo(1);
    }

    @Test
    void aRefundTheGatewayRefusesVoidsItsCreditNoteAndGivesNothingBack() {
        Refunds.Credited credited = through(new Answers(RefundResult.failed("re_x", "expired_or_canceled_card", "Refund failed")))
                .credit(api.tenant, invoice, null, 1000L, null, "payment", tollgate.core.RecoveryPoint.NONE);
        assertThat(credited.outcome()).isEqualTo(Refunds.Outcome.REFUND_FAILED);

        JsonNode note = api.get("/v1/credit_notes/" + credited.note().id()).json();
        assertThat(note.get("status").asText()).isEqualTo("void");
        assertThat(note.at("/refund/status").asText()).isEqualTo("failed");
        assertThat(note.at("/refund/failure_reason").asText()).isEqualTo("expired_or_canceled_card");
        assertThat(events("refund.failed")).isEqualTo(1);
        assertThat(events("credit_note.voided")).isEqualTo(1);
        assertThat(events("charge.refunded")).isZero();

        // Nothing was given back, so all 25.00 may still be refunded, and the resolve an hour later changes nothing.
        Res whole = api.post("/v1/invoices/" + invoice + "/credit_notes", "{\"refund_to\":\"payment\"}");
        assertThat(whole.status()).as(whole.text()).isEqualTo(200);
        assertThat(whole.json().at("/refund/amount").asLong()).isEqualTo(2500);
        advance("2030-01-01T12:00:00Z");
        assertThat(api.get("/v1/credit_notes/" + credited.note().id()).json().at("/refund/status").asText()).isEqualTo("failed");
    }
}
