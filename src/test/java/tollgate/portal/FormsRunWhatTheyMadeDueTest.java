package tollgate.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.Fixtures;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * Decision 087: a test tenant's page form that made work due by its clock runs it before the next page, as its API
 * requests do and as a live tenant's worker does within a second. A subscription started in the portal has its first
 * invoice charged when the form answers; before, it stayed open and unattempted until the tenant's next API call.
 */
class FormsRunWhatTheyMadeDueTest {
    private static final String PASSWORD = "correct horse battery staple";

    @ParameterizedTest
    @MethodSource("tollgate.testing.TestDatabase#available")
    void aSubscriptionStartedInThePortalIsChargedBeforeTheFormAnswers(TestDatabase database) {
        TestServer server = TestServer.on(database);
        ApiClient api = server.newTenant();
        String slug = "due-" + Long.toString(System.nanoTime(), 36);
        server.app.tenants.setSlug(api.tenant.id(), slug);
        PortalVisitor owner = new PortalVisitor(server.baseUrl + "/portal/" + slug + "/").signUp("Due Ltd", "owner@due.example", PASSWORD);
        String account = server.app.portalUsers.byEmail(api.tenant, "owner@due.example").orElseThrow().accountId();
        server.app.db.dsl().execute("update portal_users set email_verified = true where tenant_id = ? and lower(email) = ?",
                api.tenant.id(), "owner@due.example");
        Fixtures.attachCard(api, account, "tok_visa");
        String plan = Fixtures.flatPlan(api, "usd");

        HttpResponse<String> r = owner.submit("billing", "billing/subscribe", Map.of("plan", plan));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);

        // Read without any write in between: nothing else could have run the charge.
        JsonNode invoices = api.get("/v1/accounts/" + account + "/invoices").json().get("data");
        assertThat(invoices).hasSize(1);
        assertThat(invoices.get(0).get("total").asLong()).isEqualTo(2500);
        assertThat(invoices.get(0).get("attempt_count").asInt()).isEqualTo(1);
        assertThat(invoices.get(0).get("status").asText()).isEqualTo("paid");
    }
}
