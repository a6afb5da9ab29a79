package tollgate.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.Fixtures;
import tollgate.testing.IssuedInvoices;
import tollgate.testing.IssuedInvoices.Head;
import tollgate.testing.IssuedInvoices.Line;
import tollgate.testing.Scenario;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * Issue 10, 1.4 and 1.5. SPEC §2/§4: everything due for an account at one instant goes on one invoice; a charge that
 * arrives after that instant's invoice was issued is invoiced at once, at that instant, and no period moves (it used to
 * be billed 1 ms later, by a row that waited for the next advance). And what a request makes due by a test tenant's
 * clock has run when the request is answered: the signup's first charge included.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class OneInstantOneInvoiceTest {
    @Parameter
    TestDatabase database;
    ApiClient api;

    private Res subscribe(String account, String plan) {
        Res r = api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r;
    }

    @Test
    void twoSignupsAtOneInstantAreInvoicedAtThatInstantAndRenewTogetherOnOneInvoice() {
        api = Scenario.tenantAt(TestServer.on(database), Instant.parse("2030-01-04T09:00:00Z"));
        String account = api.newPayingAccount("Shop", "usd", "UTC");
        String web = api.idOf(api.post("/v1/plans", "{\"name\":\"Web\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":1000}"));
        String mail = api.idOf(api.post("/v1/plans", "{\"name\":\"Mail\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":2000}"));
        subscribe(account, web);
        // 1.5: the signup's invoice was charged before the answer, with no advance.
        JsonNode first = IssuedInvoices.oldestFirst(api, account).getFirst();
        assertThat(first.get("status").asText()).isEqualTo("paid");
        assertThat(first.get("attempt_count").asInt()).isEqualTo(1);

        Res second = subscribe(account, mail);
        assertThat(second.str("current_period_start")).isEqualTo("2030-01-04T09:00:00Z");
        assertThat(second.str("current_period_end")).isEqualTo("2030-02-04T09:00:00Z");
        List<JsonNode> all = IssuedInvoices.oldestFirst(api, account);
        assertThat(all).hasSize(2);
        assertThat(IssuedInvoices.head(all.get(1))).isEqualTo(
                new Head("INV-000002", "2030-01-04T09:00:00Z", "2030-01-04T09:00:00Z", "2030-02-04T09:00:00Z", 2000, 0, 2000));
        assertThat(all.get(1).get("status").asText()).isEqualTo("paid");

        api.advanceTo("2030-02-04T09:00:00Z");
        all = IssuedInvoices.oldestFirst(api, account);
        assertThat(all).hasSize(3);
        assertThat(IssuedInvoices.head(all.get(2))).isEqualTo(
                new Head("INV-000003", "2030-02-04T09:00:00Z", "2030-02-04T09:00:00Z", "2030-03-04T09:00:00Z", 3000, 0, 3000));
    }

    @Test
    void aSignupAtMidnightOnThe1stAfterTheLicenseInvoiceIsInvoicedAtMidnightAndRenewsWithTheLicenses() {
        api = Scenario.tenantAt(TestServer.on(database), Instant.parse("2030-01-20T00:00:00Z"));
        String account = api.newPayingAccount("Agency", "usd", "UTC");
        String licenses = Fixtures.licensePlan(api, "usd", 3100);
        String key = Fixtures.issueOne(api, account, licenses);
        String hosting = api.idOf(api.post("/v1/plans", "{\"name\":\"Hosting\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":2500}"));
        api.advanceTo("2030-02-01T00:00:00Z");
        Res s = subscribe(account, hosting);
        assertThat(s.str("current_period_start")).isEqualTo("2030-02-01T00:00:00Z");

        List<JsonNode> all = IssuedInvoices.oldestFirst(api, account);
        assertThat(all).hasSize(2);
        // Jan 20 → 31: 12 of 31 days of 3100 = 1200.
        assertThat(IssuedInvoices.head(all.get(0)).total()).isEqualTo(1200);
        assertThat(IssuedInvoices.head(all.get(1))).isEqualTo(
                new Head("INV-000002", "2030-02-01T00:00:00Z", "2030-02-01T00:00:00Z", "2030-03-01T00:00:00Z", 2500, 0, 2500));

        api.advanceTo("2030-03-01T00:00:00Z");
        all = IssuedInvoices.oldestFirst(api, account);
        assertThat(all).hasSize(3);
        JsonNode march = all.get(2);
        assertThat(IssuedInvoices.head(march).total()).isEqualTo(3100 + 2500);
        assertThat(IssuedInvoices.lines(march)).extracting(Line::kind).containsExactlyInAnyOrder("license", "subscription");
        assertThat(key).isNotNull();
    }

    @Test
    void aDeclinedFirstChargeHasRunWhenTheSignupIsAnsweredAndTheInvoiceShowsItsNextAttempt() {
        api = Scenario.tenantAt(TestServer.on(database), Instant.parse("2030-01-04T09:00:00Z"));
        String account = api.newAccount("Declined", "usd", "UTC");
        Fixtures.attachCard(api, account, "tok_chargeDeclined");
        String hosting = api.idOf(api.post("/v1/plans", "{\"name\":\"Hosting\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":2500,"
                + "\"dunning_policy\":\"hosting_default\"}"));
        Res s = subscribe(account, hosting);
        assertThat(s.str("status")).isEqualTo("past_due");
        JsonNode invoice = IssuedInvoices.oldestFirst(api, account).getFirst();
        assertThat(invoice.get("status").asText()).isEqualTo("open");
        assertThat(invoice.get("attempt_count").asInt()).isEqualTo(1);
        // hosting_default: attempt 2 three days after the first failure.
        assertThat(invoice.get("next_payment_attempt").asText()).isEqualTo("2030-01-07T09:00:00Z");
        assertThat(api.get("/v1/test_clock").str("now")).isEqualTo("2030-01-04T09:00:00Z");
    }
}
