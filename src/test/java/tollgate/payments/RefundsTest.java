package tollgate.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.Fixtures;
import tollgate.testing.Scenario;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * Issue #10 §1.1 and SPEC §4: "A credit note on a paid invoice refunds through the gateway that took the money
 * (refund_to payment) or credits the account's balance (refund_to balance)". The invoice of these tests is the 25.00
 * first period of a monthly hosting plan, signed up for and paid by card on 1 Jan 2030 at 10:00 UTC.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class RefundsTest {
    static final Instant NOW = Instant.parse("2030-01-01T10:00:00Z");

    @Parameter
    TestDatabase database;
    ApiClient api;
    String account;
    String invoice;

    @BeforeEach
    void paidInvoice() {
        api = Scenario.tenantAt(TestServer.on(database), NOW);
        String hosting = Fixtures.flatPlan(api, "usd");
        account = Fixtures.payingAccount(api, "Agency", "usd");
        Res sub = api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + hosting + "\"}");
        assertThat(sub.status()).as(sub.text()).isEqualTo(200);
        advance(NOW.toString());
        invoice = api.get("/v1/accounts/" + account + "/invoices").json().at("/data/0/id").asText();
        JsonNode paid = api.get("/v1/invoices/" + invoice).json();
        assertThat(paid.get("status").asText()).isEqualTo("paid");
        assertThat(paid.get("amount_paid").asLong()).isEqualTo(2500);
    }

    void advance(String to) {
        Res r = api.post("/v1/test_clock/advance", "{\"to\":\"" + to + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }

    Res credit(String body) {
        return api.post("/v1/invoices/" + invoice + "/credit_notes", body);
    }

    List<JsonNode> events(String type) {
        List<JsonNode> out = new java.util.ArrayList<>();
        api.get("/v1/events?limit=100&type=" + type + "&account=" + account).json().get("data").forEach(out::add);
        return out;
    }

    String payment() {
        return api.get("/v1/invoices/" + invoice + "/payments").json().at("/data/0/id").asText();
    }

    @Test
    void aCreditNoteOnAPaidInvoiceRefundsThroughTheGatewayThatTookTheMoney() {
        Res r = credit("{\"amount\":1000,\"refund_to\":\"payment\",\"reason\":\"Outage on 3 January\"}");

        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.str("type")).isEqualTo("post_payment");
        assertThat(r.str("status")).isEqualTo("issued");
        assertThat(r.str("refund_to")).isEqualTo("payment");
        assertThat(r.str("number")).isEqualTo("CN-000001");
        assertThat(r.json().get("amount").asLong()).isEqualTo(1000);
        JsonNode refund = r.json().get("refund");
        assertThat(refund.get("id").asText()).startsWith("re_");
        assertThat(refund.get("object").asText()).isEqualTo("refund");
        assertThat(refund.get("status").asText()).isEqualTo("succeeded");
        assertThat(refund.get("amount").asLong()).isEqualTo(1000);
        assertThat(refund.get("payment").asText()).isEqualTo(payment());
        assertThat(refund.get("gateway").asText()).isEqualTo("sandbox");
        assertThat(refund.get("gateway_refund").asText()).startsWith("re_");
        assertThat(refund.has("idempotency_key")).isFalse();

        // The invoice stays paid, as in Stripe: what was given back is on its credit notes and refunds.
        JsonNode after = api.get("/v1/invoices/" + invoice).json();
        assertThat(after.get("status").asText()).isEqualTo("paid");
        assertThat(after.get("amount_paid").asLong()).isEqualTo(2500);
        assertThat(after.get("amount_due").asLong()).isZero();
        assertThat(api.get("/v1/invoices/" + invoice + "/refunds").json().at("/data/0")).isEqualTo(refund);
        assertThat(api.get("/v1/refunds/" + refund.get("id").asText()).json()).isEqualTo(refund);
        assertThat(api.get("/v1/credit_notes/" + r.str("id")).json()).isEqualTo(r.json());
        assertThat(events("charge.refunded")).extracting(e -> e.get("data")).containsExactly(refund);
        assertThat(events("credit_note.created")).hasSize(1);

        // What is left of the payment may be refunded too, by line; then nothing more.
        String line = after.at("/lines/0/id").asText();
        Res rest = credit("{\"lines\":[{\"line\":\"" + line + "\",\"amount\":1500}],\"refund_to\":\"payment\"}");
        assertThat(rest.status()).as(rest.text()).isEqualTo(200);
        assertThat(rest.json().at("/refund/amount").asLong()).isEqualTo(1500);
        Res more = credit("{\"amount\":1,\"refund_to\":\"payment\"}");
        assertThat(more.status()).isEqualTo(422);
        assertThat(more.code()).isEqualTo("refund_exceeds_payment");
        assertThat(more.str("field")).isEqualTo("amount");
        assertThat(api.get("/v1/invoices/" + invoice + "/refunds").json().get("data")).hasSize(2);
    }

    @Test
    void aRefundIsNeverMadeTwice() {
        Res r = credit("{\"refund_to\":\"payment\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().at("/refund/amount").asLong()).isEqualTo(2500);
        String gatewayRefund = r.json().at("/refund/gateway_refund").asText();

        // The safety net that asks about an unanswered refund an hour later finds it answered and does nothing.
        advance("2030-01-01T12:00:00Z");
        JsonNode refund = api.get("/v1/refunds/" + r.json().at("/refund/id").asText()).json();
        assertThat(refund.get("status").asText()).isEqualTo("succeeded");
        assertThat(refund.get("gateway_refund").asText()).isEqualTo(gatewayRefund);
        assertThat(events("charge.refunded")).hasSize(1);
        long ledger = TestServer.on(database).app.db.dsl().fetchOne(
                "select count(*) from sandbox_refunds where charge = ?", refund.get("gateway_charge").asText()).get(0, Long.class);
        assertThat(ledger).isEqualTo(1);

        // The sandbox, asked again with the same key, answers the same refund and gives nothing more back.
        RefundResult again = sandbox().refund(new RefundRequest(
                "refund_" + refund.get("id").asText(), refund.get("gateway_charge").asText(), 2500, "usd", true, null));
        assertThat(again).isEqualTo(RefundResult.succeeded(gatewayRefund));
        RefundResult another = sandbox().refund(new RefundRequest("refund_re_other", refund.get("gateway_charge").asText(), 1, "usd",
                false, null));
        assertThat(another.status()).isEqualTo(RefundResult.Status.FAILED);
        assertThat(another.failureReason()).isEqualTo(RefundResult.AMOUNT_TOO_LARGE);
    }

    private SandboxGateway sandbox() {
        return new SandboxGateway(new SandboxLedger(TestServer.on(database).app.db, java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC)));
    }

    @Test
    void aCreditToTheBalanceIsConsumedByTheNextInvoiceBeforeTheCardIsCharged() throws Exception {
        Res r = credit("{\"amount\":1000,\"refund_to\":\"balance\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().get("refund").isNull()).isTrue();
        String credit = r.str("balance_transaction");
        assertThat(credit).startsWith("btx_");
        assertThat(api.get("/v1/accounts/" + account).json().get("balance").asLong()).isEqualTo(-1000);
        assertThat(api.get("/v1/invoices/" + invoice + "/refunds").json().get("data")).isEmpty();

        advance("2030-02-01T10:00:00Z");
        JsonNode next = api.get("/v1/accounts/" + account + "/invoices").json().at("/data/0");
        assertThat(next.get("id").asText()).isNotEqualTo(invoice);
        assertThat(next.get("total").asLong()).isEqualTo(2500);
        assertThat(next.get("applied_balance").asLong()).isEqualTo(1000);
        assertThat(next.get("amount_paid").asLong()).isEqualTo(1500);
        assertThat(next.get("amount_due").asLong()).isZero();
        assertThat(next.get("status").asText()).isEqualTo("paid");
        JsonNode charges = api.get("/v1/invoices/" + next.get("id").asText() + "/payment_attempts").json().get("data");
        assertThat(charges).hasSize(1);
        assertThat(charges.get(0).get("amount").asLong()).isEqualTo(1500);
        assertThat(api.get("/v1/accounts/" + account).json().get("balance").asLong()).isZero();

        JsonNode history = api.get("/v1/accounts/" + account + "/balance_transactions").json().get("data");
        assertThat(history).hasSize(2);
        assertThat(history.get(0).get("type").asText()).isEqualTo("applied_to_invoice");
        assertThat(history.get(0).get("amount").asLong()).isEqualTo(1000);
        assertThat(history.get(0).get("ending_balance").asLong()).isZero();
        assertThat(history.get(0).get("invoice").asText()).isEqualTo(next.get("id").asText());
        assertThat(history.get(1).get("id").asText()).isEqualTo(credit);
        assertThat(history.get(1).get("type").asText()).isEqualTo("credit_note");
        assertThat(history.get(1).get("amount").asLong()).isEqualTo(-1000);
        assertThat(history.get(1).get("credit_note").asText()).isEqualTo(r.str("id"));

        String pdf = tollgate.invoicing.InvoicePdfTestAccess.text(bytes("/v1/invoices/" + next.get("id").asText() + "/pdf"));
        assertThat(pdf).contains("Applied from balance 10.00").contains("Amount paid 15.00").contains("Amount due USD 0.00");
    }

    @Test
    void aBalanceThatCoversTheWholeInvoicePaysItWithoutACharge() {
        Res adjust = api.post("/v1/accounts/" + account + "/balance_transactions",
                "{\"amount\":-3000,\"currency\":\"USD\",\"description\":\"Goodwill\"}");
        assertThat(adjust.status()).as(adjust.text()).isEqualTo(200);
        assertThat(adjust.str("type")).isEqualTo("adjustment");
        assertThat(adjust.json().get("ending_balance").asLong()).isEqualTo(-3000);

        advance("2030-02-01T10:00:00Z");
        JsonNode next = api.get("/v1/accounts/" + account + "/invoices").json().at("/data/0");
        assertThat(next.get("applied_balance").asLong()).isEqualTo(2500);
        assertThat(next.get("amount_paid").asLong()).isZero();
        assertThat(next.get("status").asText()).isEqualTo("paid");
        assertThat(api.get("/v1/invoices/" + next.get("id").asText() + "/payment_attempts").json().get("data")).isEmpty();
        assertThat(api.get("/v1/accounts/" + account).json().get("balance").asLong()).isEqualTo(-500);

        // An invoice paid from the balance gives it back to the balance, not to a card that never paid it.
        Res toCard = api.post("/v1/invoices/" + next.get("id").asText() + "/credit_notes", "{\"refund_to\":\"payment\"}");
        assertThat(toCard.status()).isEqualTo(422);
        assertThat(toCard.code()).isEqualTo("refund_exceeds_payment");
        Res back = api.post("/v1/invoices/" + next.get("id").asText() + "/credit_notes", "{\"refund_to\":\"balance\"}");
        assertThat(back.status()).as(back.text()).isEqualTo(200);
        assertThat(back.json().get("amount").asLong()).isEqualTo(2500);
        assertThat(api.get("/v1/accounts/" + account).json().get("balance").asLong()).isEqualTo(-3000);
    }

    @Test
    void theCreditNotesPdfSaysWhereTheMoneyWent() throws Exception {
        Res r = credit("{\"amount\":1000,\"refund_to\":\"payment\",\"reason\":\"Outage on 3 January\"}");
        String number = api.get("/v1/invoices/" + invoice).json().get("number").asText();

        HttpResponse<byte[]> pdf = HttpClient.newHttpClient().send(api.request("/v1/credit_notes/" + r.str("id") + "/pdf").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(pdf.headers().firstValue("Content-Type")).hasValue("application/pdf");
        String text = tollgate.invoicing.InvoicePdfTestAccess.text(pdf.body());
        assertThat(text).contains("Credit note").contains("CN-000001").contains("ISSUED").contains("Invoice " + number)
                .contains("1 Jan 2030").contains("Agency").contains("Credit of invoice " + number + " 10.00")
                .contains("Total credited USD 10.00").contains("Refunded to payment method 10.00")
                .contains("Reason: Outage on 3 January");

        Res balance = credit("{\"amount\":500,\"refund_to\":\"balance\"}");
        assertThat(tollgate.invoicing.InvoicePdfTestAccess.text(bytes("/v1/credit_notes/" + balance.str("id") + "/pdf")))
                .contains("CN-000002").contains("Credited to account balance 5.00");
        assertThat(api.get("/v1/credit_notes/cn_nope/pdf").status()).isEqualTo(404);
    }

    byte[] bytes(String path) throws Exception {
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(api.request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }
}
