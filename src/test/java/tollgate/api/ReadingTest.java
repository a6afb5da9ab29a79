package tollgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.Fixtures;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/** Reads that were missing: an account's bundles and one payment method. */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class ReadingTest {
    @Parameter
    TestDatabase database;

    @Test
    void anAccountsBundlesNewestFirstWithTheirLicenses() {
        ApiClient api = TestServer.on(database).newTenant();
        String account = Fixtures.payingAccount(api, "Agency", "usd");
        String plan = Fixtures.licensePlan(api, "usd", 900);
        String small = api.post("/v1/accounts/" + account + "/bundles", "{\"plan\":\"" + plan + "\",\"size\":2}").str("id");
        String large = api.post("/v1/accounts/" + account + "/bundles", "{\"plan\":\"" + plan + "\",\"size\":3}").str("id");
        Res r = api.get("/v1/accounts/" + account + "/bundles");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        JsonNode data = r.json().get("data");
        assertThat(data).hasSize(2);
        assertThat(data.at("/0/id").asText()).isEqualTo(large);
        assertThat(data.at("/0/licenses")).hasSize(3);
        assertThat(data.at("/1/id").asText()).isEqualTo(small);
        assertThat(api.get("/v1/accounts/" + account + "/bundles?limit=1&starting_after=" + large).json().at("/data/0/id").asText())
                .isEqualTo(small);
        Res unknown = api.get("/v1/accounts/" + account + "/bundles?starting_after=bndl_nothing");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("field").asText()).isEqualTo("starting_after");
        assertThat(api.get("/v1/accounts/acct_nothing/bundles").status()).isEqualTo(404);
    }

    @Test
    void onePaymentMethodUntilItIsDetached() {
        ApiClient api = TestServer.on(database).newTenant();
        String account = api.newAccount("Agency", "usd", "UTC");
        String pm = Fixtures.attachCard(api, account, "tok_mastercard");
        Res r = api.get("/v1/payment_methods/" + pm);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.str("brand")).isEqualTo("mastercard");
        assertThat(r.json().get("primary").asBoolean()).isTrue();
        assertThat(r.str("account")).isEqualTo(account);
        assertThat(TestServer.on(database).newTenant().get("/v1/payment_methods/" + pm).status()).isEqualTo(404);
        api.delete("/v1/payment_methods/" + pm);
        assertThat(api.get("/v1/payment_methods/" + pm).status()).isEqualTo(404);
    }
}
