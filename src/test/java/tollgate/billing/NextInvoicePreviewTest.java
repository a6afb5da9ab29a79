package tollgate.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.invoicing.Invoice;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.Fixtures;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * The portal's next-invoice preview (decision 047: license lines grouped by plan and by issue and revocation instants,
 * each group one line of {@code quantity} licenses by the run's own rule) against the invoice the run issues later:
 * the same number of licenses, the same subtotal and total to the cent, and amounts worked out by hand.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class NextInvoicePreviewTest {
    @Parameter
    TestDatabase database;

    private static Res ok(Res r) {
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r;
    }

    @Test
    void thePreviewOnMarch20IsTheInvoiceIssuedOnApril1ToTheCent() {
        TestServer server = TestServer.on(database);
        ApiClient api = server.newTenantAt(Instant.parse("2027-03-05T10:00:00Z"));
        // 31.00 a month: 1.00 a day in March. 19.99 a month with a 14-day trial per license.
        String plain = ok(api.post("/v1/plans", "{\"name\":\"Site license\",\"type\":\"license\",\"currency\":\"usd\",\"amount\":3100}")).str("id");
        String trial = ok(api.post("/v1/plans",
                "{\"name\":\"Trial license\",\"type\":\"license\",\"currency\":\"usd\",\"amount\":1999,\"trial_days\":14}")).str("id");
        String account = api.newAccount("Fabrikam Sites", "usd", "Europe/Berlin");
        Fixtures.attachCard(api, account, "tok_visa");

        // March 5, 11:00 in Berlin: a bundle of three (one issue instant), 27 days each: 3 × 27.00.
        JsonNode bundle = ok(Fixtures.issue(api, account, plain, 3)).json().get("data");
        ok(api.post("/v1/test_clock/advance", "{\"to\":\"2027-03-08T11:00:00Z\"}"));
        // March 8: one of the bundle revoked (March 5–8, 4 days: 4.00).
        ok(api.post("/v1/licenses/" + bundle.get(0).get("id").asText() + "/revoke", "{}"));
        ok(api.post("/v1/test_clock/advance", "{\"to\":\"2027-03-10T09:00:00Z\"}"));
        // March 10, 10:00 in Berlin: two on the trial plan, billed from March 24: 8 of 31 days of 19.99 = 5.1587 → 5.16 each.
        ok(Fixtures.issue(api, account, trial, 2));
        ok(api.post("/v1/test_clock/advance", "{\"to\":\"2027-03-20T09:00:00Z\"}"));

        BillingPreview preview = new BillingPreview(server.app.db, server.app.clock, server.app.billing,
                (tx, tenant, id, zone, now, shown) -> { throw new AssertionError("not asked"); });
        Invoice next = preview.upcoming(api.tenant, account).orElseThrow();
        assertThat(next.billingDate()).isEqualTo(Instant.parse("2027-03-31T22:00:00Z"));
        List<Invoice.Line> grouped = next.lines();
        // 2 × 27.00 + 4.00 + 2 × 5.16 = 68.32, in three lines standing for five licenses.
        assertThat(grouped).as(grouped.toString()).extracting(Invoice.Line::quantity).containsExactlyInAnyOrder(2L, 1L, 2L);
        assertThat(grouped).extracting(Invoice.Line::amount).containsExactlyInAnyOrder(5400L, 400L, 1032L);
        assertThat(next.subtotal()).isEqualTo(6832);
        assertThat(next.total()).isEqualTo(6832);

        // Nothing of the preview stays: no invoice yet, and the run on April 1 issues exactly what it showed.
        assertThat(api.get("/v1/accounts/" + account + "/invoices").json().get("data")).isEmpty();
        ok(api.post("/v1/test_clock/advance", "{\"to\":\"2027-04-01T00:00:00Z\"}"));
        JsonNode list = api.get("/v1/accounts/" + account + "/invoices").json().get("data");
        assertThat(list).hasSize(1);
        JsonNode issued = api.get("/v1/invoices/" + list.get(0).get("id").asText()).json();
        assertThat(issued.get("billing_date").asText()).isEqualTo("2027-03-31T22:00:00Z");
        List<Long> amounts = new ArrayList<>();
        issued.get("lines").forEach(l -> amounts.add(l.get("amount").asLong()));
        assertThat(amounts).containsExactlyInAnyOrder(2700L, 2700L, 400L, 516L, 516L);
        assertThat(issued.get("lines").size()).isEqualTo(grouped.stream().mapToLong(Invoice.Line::quantity).sum());
        assertThat(issued.get("subtotal").asLong()).isEqualTo(next.subtotal());
        assertThat(issued.get("total").asLong()).isEqualTo(next.total());
    }
}
