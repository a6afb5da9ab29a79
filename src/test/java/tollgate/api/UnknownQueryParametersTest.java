package tollgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * Decision 094: every tenant's route refuses a query parameter its OpenAPI operation does not list, as Stripe refuses
 * unknown parameters; before, /v1/invoices did and /v1/plans, /v1/accounts and /v1/events listed everything.
 */
class UnknownQueryParametersTest {
    @ParameterizedTest
    @MethodSource("tollgate.testing.TestDatabase#available")
    void aMisspeltFilterIsRefusedOnEveryListAndADocumentedOneIsTaken(TestDatabase database) {
        ApiClient api = TestServer.on(database).newTenant();
        String account = api.newAccount("Query Ltd", "usd", "UTC");
        for (String url : new String[] {"/v1/plans?stauts=open", "/v1/accounts?foo=1", "/v1/events?acount=" + account,
                "/v1/invoices?stauts=open", "/v1/coupons?limit=2&x=1", "/v1/accounts/" + account + "?expand=plan",
                "/v1/accounts/" + account + "/invoices?status=open"}) {
            Res r = api.get(url);
            assertThat(r.status()).as(url).isEqualTo(422);
            assertThat(r.code()).as(url).isEqualTo("unknown_parameter");
        }
        assertThat(api.get("/v1/plans?stauts=open").json().get("field").asText()).isEqualTo("stauts");
        for (String url : new String[] {"/v1/plans?limit=2", "/v1/accounts?limit=1", "/v1/events?type=account.created&account=" + account,
                "/v1/invoices?status=open&limit=5", "/v1/accounts/" + account + "/invoices?limit=3"}) {
            Res r = api.get(url);
            assertThat(r.status()).as(url + " " + r.text()).isEqualTo(200);
        }
        // A site's keyless check and the health check take what their callers append.
        assertThat(TestServer.on(database).anonymous().get("/health?probe=lb").status()).isEqualTo(200);
    }
}
