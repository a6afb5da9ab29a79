package tollgate.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.IssuedInvoices;
import tollgate.testing.Scenario;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * SPEC §2 {@code collection_method} (issue 10, 1.7): a subscription charged automatically needs a card (402
 * payment_method_required, where a signup without one used to go straight into dunning); one with {@code send_invoice}
 * is paid by wire or in the portal and is past due — dunning starts — {@code days_until_due} days after its invoice.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class SendInvoiceTest {
    @Parameter
    TestDatabase database;
    ApiClient api;
    String account;
    String plan;

    private void start() {
        api = Scenario.tenantAt(TestServer.on(database), Instant.parse("2030-01-04T09:00:00Z"));
        account = api.newAccount("Wire Payer", "usd", "UTC");
        Res p = api.post("/v1/plans", "{\"name\":\"Hosting yearly\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":30000,"
                + "\"interval\":\"year\",\"dunning_policy\":\"hosting_default\"}");
        assertThat(p.status()).as(p.text()).isEqualTo(200);
        plan = p.str("id");
    }

    private Res subscribe(String extra) {
        return api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\"" + extra + "}");
    }

    private void advance(String to) {
        Res r = api.post("/v1/test_clock/advance", "{\"to\":\"" + to + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }

    private int pastDueEvents() {
        return api.get("/v1/events?type=invoice.past_due&account=" + account).json().get("data").size();
    }

    @Test
    void chargedAutomaticallyWithoutACardIs402AndWritesNothing() {
        start();
        for (String extra : new String[] {"", ",\"collection_method\":\"charge_automatically\""}) {
            Res r = subscribe(extra);
            assertThat(r.status()).as(r.text()).isEqualTo(402);
            assertThat(r.code()).isEqualTo("payment_method_required");
        }
        assertThat(api.get("/v1/accounts/" + account + "/subscriptions").json().get("data")).isEmpty();
        assertThat(api.get("/v1/accounts/" + account + "/invoices").json().get("data")).isEmpty();
        assertThat(pastDueEvents()).isZero();
    }

    @Test
    void wrongTermsAreRefusedNamingTheField() {
        start();
        String[][] wrong = {
                {",\"collection_method\":\"send_invoice\"", "parameter_missing", "days_until_due"},
                {",\"collection_method\":\"charge_automatically\",\"days_until_due\":30", "parameter_not_applicable", "days_until_due"},
                {",\"collection_method\":\"send_invoice\",\"days_until_due\":366", "parameter_invalid", "days_until_due"},
                {",\"collection_method\":\"send_invoice\",\"days_until_due\":-1", "parameter_invalid", "days_until_due"},
                {",\"collection_method\":\"wire\",\"days_until_due\":30", "parameter_invalid", "collection_method"}};
        for (String[] w : wrong) {
            Res r = subscribe(w[0]);
            assertThat(r.status()).as(r.text()).isEqualTo(422);
            assertThat(r.code()).as(r.text()).isEqualTo(w[1]);
            assertThat(r.str("field")).isEqualTo(w[2]);
        }
        assertThat(api.get("/v1/accounts/" + account + "/subscriptions").json().get("data")).isEmpty();
    }

    @Test
    void anInvoiceSentOnJan4WithThirtyDaysIsDueFeb3AndPastDueThenNotBefore() {
        start();
        Res s = subscribe(",\"collection_method\":\"send_invoice\",\"days_until_due\":30");
        assertThat(s.status()).as(s.text()).isEqualTo(200);
        assertThat(s.str("collection_method")).isEqualTo("send_invoice");
        assertThat(s.json().get("days_until_due").asInt()).isEqualTo(30);
        assertThat(s.str("status")).isEqualTo("active");

        JsonNode invoice = IssuedInvoices.oldestFirst(api, account).getFirst();
        assertThat(invoice.get("status").asText()).isEqualTo("open");
        assertThat(invoice.get("collection_method").asText()).isEqualTo("send_invoice");
        assertThat(invoice.get("due_date").asText()).isEqualTo("2030-02-03T09:00:00Z");
        assertThat(invoice.get("amount_due").asLong()).isEqualTo(30000);
        assertThat(invoice.get("attempt_count").asInt()).isZero();
        assertThat(invoice.get("next_payment_attempt").isNull()).isTrue();

        advance("2030-02-03T08:59:59Z");
        assertThat(pastDueEvents()).isZero();
        assertThat(api.get("/v1/subscriptions/" + s.str("id")).str("status")).isEqualTo("active");

        advance("2030-02-03T09:00:00Z");
        assertThat(pastDueEvents()).isEqualTo(1);
        JsonNode pastDue = api.get("/v1/events?type=invoice.past_due&account=" + account).json().at("/data/0/data");
        assertThat(pastDue.get("past_due_at").asText()).isEqualTo("2030-02-03T09:00:00Z");
        assertThat(pastDue.get("amount_due").asLong()).isEqualTo(30000);
        assertThat(api.get("/v1/subscriptions/" + s.str("id")).str("status")).isEqualTo("past_due");
    }

    @Test
    void aWireTransferBeforeTheDueDatePaysItAndNothingBecomesPastDue() {
        start();
        assertThat(subscribe(",\"collection_method\":\"send_invoice\",\"days_until_due\":14").status()).isEqualTo(200);
        String invoice = IssuedInvoices.oldestFirst(api, account).getFirst().get("id").asText();
        advance("2030-01-10T00:00:00Z");
        Res paid = api.post("/v1/invoices/" + invoice + "/record_payment",
                "{\"amount\":30000,\"method\":\"wire\",\"reference\":\"WIRE-2030-0110\"}");
        assertThat(paid.status()).as(paid.text()).isEqualTo(200);
        assertThat(paid.str("status")).isEqualTo("paid");
        assertThat(paid.str("due_date")).isEqualTo("2030-01-18T09:00:00Z");
        advance("2030-02-01T00:00:00Z");
        assertThat(pastDueEvents()).isZero();
    }

    /**
     * Decision 095: a subscription charged automatically and one sent to be paid, both anchored on Jan 10 00:00, bill on
     * one invoice there (SPEC §2). It is sent to be paid, due Feb 9 00:00, and no card is charged for it at issue —
     * where it used to be charged in full, the sent subscription's 5,000 with it.
     */
    @Test
    void anInvoiceWithASubscriptionSentToBePaidIsNotChargedAtIssue() {
        api = Scenario.tenantAt(TestServer.on(database), Instant.parse("2030-01-04T09:00:00Z"));
        account = api.newPayingAccount("Mixed Terms", "usd", "UTC");
        String charged = monthly("Care plan", 3100);
        String sent = monthly("Hosting", 6200);
        String anchor = ",\"billing_cycle_anchor\":\"2030-01-10T00:00:00Z\"";
        Res a = api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + charged + "\"" + anchor + "}");
        assertThat(a.status()).as(a.text()).isEqualTo(200);
        Res b = api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + sent + "\"" + anchor
                + ",\"collection_method\":\"send_invoice\",\"days_until_due\":30}");
        assertThat(b.status()).as(b.text()).isEqualTo(200);
        // The short first periods (Jan 4 09:00 → Jan 10, 6 of 31 days) are billed at signup, one invoice each.
        java.util.List<JsonNode> first = IssuedInvoices.oldestFirst(api, account);
        assertThat(first).extracting(i -> i.get("total").asLong()).containsExactly(600L, 1200L);
        assertThat(first).extracting(i -> i.get("collection_method").asText()).containsExactly("charge_automatically", "send_invoice");
        assertThat(first.get(0).get("status").asText()).isEqualTo("paid");
        assertThat(first.get(1).get("status").asText()).isEqualTo("open");

        advance("2030-01-10T00:00:00Z");
        java.util.List<JsonNode> all = IssuedInvoices.oldestFirst(api, account);
        assertThat(all).hasSize(3);
        JsonNode both = all.get(2);
        assertThat(both.get("billing_date").asText()).isEqualTo("2030-01-10T00:00:00Z");
        assertThat(both.get("amount_due").asLong()).isEqualTo(9300);
        assertThat(both.get("collection_method").asText()).isEqualTo("send_invoice");
        assertThat(both.get("due_date").asText()).isEqualTo("2030-02-09T00:00:00Z");
        assertThat(both.get("status").asText()).isEqualTo("open");
        assertThat(both.get("attempt_count").asInt()).isZero();
        assertThat(both.get("next_payment_attempt").isNull()).isTrue();
        String id = both.get("id").asText();
        assertThat(api.get("/v1/invoices/" + id + "/payment_attempts").json().get("data")).isEmpty();
        assertThat(api.get("/v1/invoices/" + id + "/payments").json().get("data")).isEmpty();
        assertThat(api.get("/v1/subscriptions/" + a.str("id")).str("status")).isEqualTo("active");
    }

    private String monthly(String name, long amount) {
        Res p = api.post("/v1/plans", "{\"name\":\"" + name + "\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":" + amount
                + ",\"interval\":\"month\",\"dunning_policy\":\"hosting_default\"}");
        assertThat(p.status()).as(p.text()).isEqualTo(200);
        return p.str("id");
    }
}
