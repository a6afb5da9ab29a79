package tollgate.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/** POST /v1/accounts/{id}: name, e-mail, time zone, company details and metadata (as Stripe's). */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class AccountUpdateTest {
    @Parameter
    TestDatabase database;
    ApiClient api;
    String account;

    @BeforeEach
    void tenant() {
        api = TestServer.on(database).newTenant();
        Res r = api.post("/v1/accounts", "{\"name\":\"Acme\",\"email\":\"ops@acme.test\",\"currency\":\"eur\","
                + "\"company\":{\"legal_name\":\"Acme GmbH\",\"tax_id\":\"DE1\"},\"metadata\":{\"crm_id\":\"42\",\"tier\":\"gold\"}}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().at("/metadata/crm_id").asText()).isEqualTo("42");
        account = r.str("id");
    }

    private JsonNode update(String body) {
        Res r = api.post("/v1/accounts/" + account, body);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json();
    }

    @Test
    void onlyTheFieldsGivenChangeAndMetadataMerges() {
        JsonNode after = update("{\"name\":\" Acme Agency \",\"email\":\"billing@acme.test\",\"timezone\":\"Europe/Berlin\","
                + "\"metadata\":{\"tier\":\"\",\"region\":\"eu\"}}");
        assertThat(after.get("name").asText()).isEqualTo("Acme Agency");
        assertThat(after.get("email").asText()).isEqualTo("billing@acme.test");
        assertThat(after.get("timezone").asText()).isEqualTo("Europe/Berlin");
        assertThat(after.get("currency").asText()).isEqualTo("eur");
        assertThat(after.at("/company/legal_name").asText()).isEqualTo("Acme GmbH");
        assertThat(after.get("metadata").toString()).isEqualTo("{\"crm_id\":\"42\",\"region\":\"eu\"}");
        assertThat(api.get("/v1/accounts/" + account).json()).isEqualTo(after);
        assertThat(api.get("/v1/events?type=account.updated").json().get("data")).hasSize(1);

        // company replaces the whole object
        JsonNode company = update("{\"company\":{\"legal_name\":\"Acme AG\",\"address\":{\"country\":\"CH\"}}}");
        assertThat(company.at("/company/legal_name").asText()).isEqualTo("Acme AG");
        assertThat(company.at("/company/tax_id").isNull()).isTrue();
        assertThat(company.at("/company/address/country").asText()).isEqualTo("CH");
        assertThat(company.get("name").asText()).isEqualTo("Acme Agency");

        // nothing changed: no event
        update("{\"name\":\"Acme Agency\"}");
        assertThat(api.get("/v1/events?type=account.updated").json().get("data")).hasSize(2);
    }

    @Test
    void metadataHasStripesLimits() {
        StringBuilder fifty = new StringBuilder("{");
        for (int i = 0; i < 48; i++) fifty.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        update("{\"metadata\":" + fifty + "}}");
        assertThat(api.get("/v1/accounts/" + account).json().get("metadata")).hasSize(50);
        // a 51st key is refused even when the request alone has few
        Res over = api.post("/v1/accounts/" + account, "{\"metadata\":{\"one_more\":\"x\"}}");
        assertThat(over.status()).isEqualTo(422);
        assertThat(over.code()).isEqualTo("metadata_too_many_keys");
        assertThat(over.json().get("field").asText()).isEqualTo("metadata");
        // removing one makes room
        assertThat(update("{\"metadata\":{\"k1\":\"\",\"one_more\":\"x\"}}").get("metadata")).hasSize(50);
    }

    @Test
    void badInputIsRefusedNamingTheFieldAndChangesNothing() {
        JsonNode before = api.get("/v1/accounts/" + account).json();
        String[][] cases = {
                {"{\"metadata\":{\"" + "k".repeat(41) + "\":\"v\"}}", "metadata", "metadata_key_invalid"},
                {"{\"metadata\":{\"\":\"v\"}}", "metadata", "metadata_key_invalid"},
                {"{\"metadata\":{\"note\":\"" + "v".repeat(501) + "\"}}", "metadata.note", "metadata_value_too_long"},
                {"{\"metadata\":{\"n\":5}}", "metadata.n", "invalid_type"},
                {"{\"metadata\":{\"n\":null}}", "metadata.n", "invalid_type"},
                {"{\"metadata\":[\"a\"]}", "metadata", "invalid_type"},
                {"{\"name\":\" \"}", "name", "parameter_invalid"},
                {"{\"email\":\"nope\"}", "email", "email_invalid"},
                {"{\"timezone\":\"+02:00\"}", "timezone", "timezone_invalid"},
                {"{\"company\":{\"address\":{\"country\":\"Germany\"}}}", "company.address.country", "country_invalid"},
                {"{\"company\":{\"address\":{\"country\":\"XX\"}}}", "company.address.country", "country_invalid"},
                {"{\"company\":{\"address\":{\"country\":\"de\"}}}", "company.address.country", "country_invalid"},
                {"{\"company\":{\"legal_name\":\"\\u202Eevil GmbH\"}}", "company.legal_name", "parameter_invalid"},
                {"{\"company\":{\"address\":{\"line1\":\"Hauptstr. 1\\tHinterhaus\"}}}", "company.address.line1", "parameter_invalid"},
                {"{\"company\":{\"address\":{\"city\":\"Berlin\\nMitte\"}}}", "company.address.city", "parameter_invalid"},
                {"{\"name\":\"Acme\\u2066 Agency\"}", "name", "parameter_invalid"},
                {"{\"email\":\"\\\"><script>alert(1)</script>@x.example\"}", "email", "email_invalid"},
                {"{\"email\":\"" + "a".repeat(65) + "@x.example\"}", "email", "email_invalid"},
                {"{\"currency\":\"usd\"}", "currency", "unknown_field"},
                {"{\"name\":\"Fine\",\"metadata\":{\"n\":5}}", "metadata.n", "invalid_type"},
        };
        for (String[] c : cases) {
            Res r = api.post("/v1/accounts/" + account, c[0]);
            assertThat(r.status()).as(c[0]).isEqualTo(422);
            assertThat(r.json().get("field").asText()).as(c[0]).isEqualTo(c[1]);
            assertThat(r.code()).as(c[0]).isEqualTo(c[2]);
        }
        assertThat(api.get("/v1/accounts/" + account).json()).isEqualTo(before);
        assertThat(api.post("/v1/accounts/acct_nothing", "{\"name\":\"x\"}").status()).isEqualTo(404);
        assertThat(TestServer.on(database).newTenant().post("/v1/accounts/" + account, "{\"name\":\"x\"}").status()).isEqualTo(404);
    }
}
