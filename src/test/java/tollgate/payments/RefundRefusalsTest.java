package tollgate.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
 * Issue #10's bad input for refunds and balances, each a 4xx problem naming its field that changes nothing: refunds
 * above what was paid, refunds on unpaid invoices (a credit note on an open invoice keeps its behaviour), balances in
 * another currency, an unknown refund_to. The paid invoice is 25.00, paid by card on 1 Jan 2030.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class RefundRefusalsTest {
    @Parameter
    TestDatabase database;
    ApiClient api;
    String hosting;
    String account;
    String invoice;

    @BeforeEach
    void paidInvoice() {
        api = Scenario.tenantAt(TestServer.on(database), RefundsTest.NOW);
        hosting = Fixtures.flatPlan(api, "usd");
        account = Fixtures.payingAccount(api, "Agency", "usd");
        invoice = subscribeAndCharge(account);
    }

    private String subscribeAndCharge(String who) {
        Res sub = api.post("/v1/accounts/" + who + "/subscriptions", "{\"plan\":\"" + hosting + "\"}");
        assertThat(sub.status()).as(sub.text()).isEqualTo(200);
        Res advanced = api.post("/v1/test_clock/advance", "{\"to\":\"" + RefundsTest.NOW + "\"}");
        assertThat(advanced.status()).as(advanced.text()).isEqualTo(200);
        return api.get("/v1/accounts/" + who + "/invoices").json().at("/data/0/id").asText();
    }

    /** What a refusal must leave alone: the invoice, its credit notes and refunds, the account and its balance's history. */
    private record State(JsonNode invoice, JsonNode creditNotes, JsonNode refunds, JsonNode account, JsonNode balance, int events) {}

    private State state(String inv, String who) {
        return new State(api.get("/v1/invoices/" + inv).json(), api.get("/v1/invoices/" + inv + "/credit_notes").json(),
                api.get("/v1/invoices/" + inv + "/refunds").json(), api.get("/v1/accounts/" + who).json(),
                api.get("/v1/accounts/" + who + "/balance_transactions").json(),
                api.get("/v1/events?limit=100&account=" + who).json().get("data").size());
    }

    private void refused(String inv, String body, int status, String code, String field) {
        Res r = api.post("/v1/invoices/" + inv + "/credit_notes", body);
        assertThat(r.status()).as(body + " -> " + r.text()).isEqualTo(status);
        assertThat(r.code()).as(body).isEqualTo(code);
        assertThat(r.str("field")).as(body).isEqualTo(field);
    }

    @Test
    void refundsAboveWhatWasPaidAreRefusedAndChangeNothing() {
        String line = api.get("/v1/invoices/" + invoice).json().at("/lines/0/id").asText();
        State before = state(invoice, account);
        for (String to : List.of("payment", "balance")) {
            refused(invoice, "{\"amount\":2501,\"refund_to\":\"" + to + "\"}", 422, "refund_exceeds_payment", "amount");
            refused(invoice, "{\"lines\":[{\"line\":\"" + line + "\",\"amount\":2501}],\"refund_to\":\"" + to + "\"}", 422,
                    "credit_exceeds_line", "lines[0].amount");
            refused(invoice, "{\"amount\":0,\"refund_to\":\"" + to + "\"}", 422, "parameter_invalid", "amount");
            refused(invoice, "{\"amount\":-5,\"refund_to\":\"" + to + "\"}", 422, "parameter_invalid", "amount");
            refused(invoice, "{\"amount\":5,\"lines\":[{\"line\":\"" + line + "\"}],\"refund_to\":\"" + to + "\"}", 422,
                    "parameter_invalid", "amount");
        }
        assertThat(state(invoice, account)).isEqualTo(before);

        // After 2,000 of the 25.00 went back, 5.01 is more than is left.
        assertThat(api.post("/v1/invoices/" + invoice + "/credit_notes", "{\"amount\":2000,\"refund_to\":\"balance\"}").status())
                .isEqualTo(200);
        State after = state(invoice, account);
        refused(invoice, "{\"amount\":501,\"refund_to\":\"payment\"}", 422, "refund_exceeds_payment", "amount");
        refused(invoice, "{\"amount\":501,\"refund_to\":\"balance\"}", 422, "refund_exceeds_payment", "amount");
        assertThat(state(invoice, account)).isEqualTo(after);
    }

    @Test
    void anUnknownOrMissingRefundToIsRefused() {
        State before = state(invoice, account);
        refused(invoice, "{\"amount\":100,\"refund_to\":\"card\"}", 422, "parameter_invalid", "refund_to");
        refused(invoice, "{\"amount\":100,\"refund_to\":\"\"}", 422, "parameter_invalid", "refund_to");
        refused(invoice, "{\"amount\":100,\"refund_to\":1}", 422, "invalid_type", "refund_to");
        // A paid invoice's credit note gives money back: where to must be said.
        refused(invoice, "{\"amount\":100}", 422, "parameter_missing", "refund_to");
        assertThat(state(invoice, account)).isEqualTo(before);
    }

    @Test
    void refundsOnUnpaidInvoicesAreRefusedWhileTheirCreditNotesKeepTheirBehaviour() {
        String declined = api.newAccount("Declined", "usd", "UTC");
        Fixtures.attachCard(api, declined, "tok_chargeDeclined");
        String open = subscribeAndCharge(declined);
        assertThat(api.get("/v1/invoices/" + open).json().get("status").asText()).isEqualTo("open");
        State before = state(open, declined);
        for (String to : List.of("payment", "balance"))
            refused(open, "{\"amount\":100,\"refund_to\":\"" + to + "\"}", 409, "invoice_not_paid", "refund_to");
        assertThat(state(open, declined)).isEqualTo(before);

        Res credit = api.post("/v1/invoices/" + open + "/credit_notes", "{\"amount\":100}");
        assertThat(credit.status()).as(credit.text()).isEqualTo(200);
        assertThat(credit.str("type")).isEqualTo("pre_payment");
        assertThat(credit.str("refund_to")).isNull();
        JsonNode after = api.get("/v1/invoices/" + open).json();
        assertThat(after.get("amount_credited").asLong()).isEqualTo(100);
        assertThat(after.get("amount_due").asLong()).isEqualTo(2400);
        assertThat(api.get("/v1/accounts/" + declined).json().get("balance").asLong()).isZero();
    }

    @Test
    void balancesInAnotherCurrencyOrBelowZeroCreditAreRefused() {
        String path = "/v1/accounts/" + account + "/balance_transactions";
        assertThat(api.post(path, "{\"amount\":-1000,\"currency\":\"usd\"}").status()).isEqualTo(200);
        State before = state(invoice, account);
        record Case(String body, String code, String field) {}
        for (Case c : List.of(
                new Case("{\"amount\":-100,\"currency\":\"eur\"}", "currency_mismatch", "currency"),
                new Case("{\"amount\":-100,\"currency\":\"euro\"}", "currency_invalid", "currency"),
                new Case("{\"amount\":-100}", "parameter_missing", "currency"),
                new Case("{\"currency\":\"usd\"}", "parameter_missing", "amount"),
                new Case("{\"amount\":0,\"currency\":\"usd\"}", "parameter_invalid", "amount"),
                new Case("{\"amount\":-100000000000001,\"currency\":\"usd\"}", "parameter_invalid", "amount"),
                new Case("{\"amount\":1001,\"currency\":\"usd\"}", "balance_insufficient", "amount"),
                new Case("{\"amount\":-100,\"currency\":\"usd\",\"description\":\"\"}", "parameter_invalid", "description"))) {
            Res r = api.post(path, c.body());
            assertThat(r.status()).as(c.body() + " -> " + r.text()).isEqualTo(422);
            assertThat(r.code()).as(c.body()).isEqualTo(c.code());
            assertThat(r.str("field")).as(c.body()).isEqualTo(c.field());
        }
        assertThat(api.post("/v1/accounts/acct_nope/balance_transactions", "{\"amount\":-100,\"currency\":\"usd\"}").status())
                .isEqualTo(404);
        assertThat(state(invoice, account)).isEqualTo(before);
        assertThat(api.get("/v1/accounts/" + account).json().get("balance").asLong()).isEqualTo(-1000);
        // Taking back exactly the credit held is fine.
        assertThat(api.post(path, "{\"amount\":1000,\"currency\":\"usd\"}").json().get("ending_balance").asLong()).isZero();
    }
}
