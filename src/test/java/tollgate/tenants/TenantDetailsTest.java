package tollgate.tenants;

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

/** The seller on a tenant's invoices: its name and company details, checked by the same rules as an account's. */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class TenantDetailsTest {
    private static final String COMPANY = """
            {"name": "Hostmost", "company": {"legal_name": "Hostmost B.V.", "tax_id": "NL123456789B01",
             "billing_email": "billing@hostmost.test", "support_email": "help@hostmost.test",
             "address": {"line1": "Keizersgracht 1", "city": "Amsterdam", "postal_code": "1015 CJ", "country": "NL"}}}""";

    @Parameter
    TestDatabase database;
    ApiClient api;

    @BeforeEach
    void tenant() {
        api = TestServer.on(database).newTenant();
    }

    @Test
    void aNewTenantShowsItsNameModeAndNoCompanyDetails() {
        Res r = api.get("/v1/tenant");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.str("id")).isEqualTo(api.tenant.id());
        assertThat(r.str("object")).isEqualTo("tenant");
        assertThat(r.str("name")).isEqualTo("Test tenant");
        assertThat(r.str("mode")).isEqualTo("test");
        JsonNode company = r.json().get("company");
        assertThat(company.get("legal_name").isNull()).isTrue();
        assertThat(company.get("address").isNull()).isTrue();
        assertThat(company.get("support_email").isNull()).isTrue();
    }

    @Test
    void companyDetailsAreKeptAndShownInline() {
        Res r = api.post("/v1/tenant", COMPANY);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        JsonNode shown = api.get("/v1/tenant").json();
        assertThat(shown).isEqualTo(r.json());
        assertThat(shown.get("name").asText()).isEqualTo("Hostmost");
        assertThat(shown.at("/company/legal_name").asText()).isEqualTo("Hostmost B.V.");
        assertThat(shown.at("/company/tax_id").asText()).isEqualTo("NL123456789B01");
        assertThat(shown.at("/company/billing_email").asText()).isEqualTo("billing@hostmost.test");
        assertThat(shown.at("/company/support_email").asText()).isEqualTo("help@hostmost.test");
        assertThat(shown.at("/company/address/postal_code").asText()).isEqualTo("1015 CJ");
        assertThat(shown.at("/company/address/country").asText()).isEqualTo("NL");
        assertThat(shown.get("company").has("details")).isFalse();
    }

    @Test
    void aNameAloneKeepsTheCompanyAndACompanyReplacesTheWholeObject() {
        api.post("/v1/tenant", COMPANY);
        Res renamed = api.post("/v1/tenant", "{\"name\":\"Hostmost Cloud\"}");
        assertThat(renamed.str("name")).isEqualTo("Hostmost Cloud");
        assertThat(renamed.json().at("/company/legal_name").asText()).isEqualTo("Hostmost B.V.");
        Res replaced = api.post("/v1/tenant", "{\"company\":{\"legal_name\":\"Hostmost Holding B.V.\"}}");
        assertThat(replaced.json().at("/company/legal_name").asText()).isEqualTo("Hostmost Holding B.V.");
        assertThat(replaced.json().at("/company/address").isNull()).isTrue();
        assertThat(replaced.json().at("/company/support_email").isNull()).isTrue();
        assertThat(replaced.str("name")).isEqualTo("Hostmost Cloud");
    }

    @Test
    void mistakesNameTheirFieldAndChangeNothing() {
        api.post("/v1/tenant", COMPANY);
        JsonNode before = api.get("/v1/tenant").json();
        String[][] cases = {
                {"{\"company\":{\"address\":{\"country\":\"Netherlands\"}}}", "country_invalid", "company.address.country"},
                {"{\"company\":{\"support_email\":\"nobody\"}}", "email_invalid", "company.support_email"},
                {"{\"company\":{\"billing_email\":\"nobody\"}}", "email_invalid", "company.billing_email"},
                {"{\"company\":{\"legal_name\":\" \"}}", "parameter_invalid", "company.legal_name"},
                {"{\"company\":{\"tax_id\":\"" + "1".repeat(51) + "\"}}", "parameter_invalid", "company.tax_id"},
                {"{\"company\":{\"vat\":\"x\"}}", "unknown_field", "company.vat"},
                {"{\"company\":{\"address\":{\"street\":\"x\"}}}", "unknown_field", "company.address.street"},
                {"{\"name\":\"\"}", "parameter_invalid", "name"},
                {"{\"name\":7}", "invalid_type", "name"},
                {"{\"mode\":\"live\"}", "unknown_field", "mode"},
        };
        for (String[] c : cases) {
            Res r = api.post("/v1/tenant", c[0]);
            assertThat(r.status()).as(c[0]).isEqualTo(422);
            assertThat(r.code()).as(c[0]).isEqualTo(c[1]);
            assertThat(r.str("field")).as(c[0]).isEqualTo(c[2]);
        }
        assertThat(api.get("/v1/tenant").json()).isEqualTo(before);
    }

    @Test
    void aChangeIsRecordedAsTenantUpdated() {
        api.post("/v1/tenant", COMPANY);
        JsonNode events = api.get("/v1/events?type=tenant.updated").json().get("data");
        assertThat(events).hasSize(1);
        assertThat(events.at("/0/data")).isEqualTo(api.get("/v1/tenant").json());
    }

    @Test
    void eachTenantSeesOnlyItsOwnDetails() {
        api.post("/v1/tenant", COMPANY);
        ApiClient other = TestServer.on(database).newTenant();
        assertThat(other.get("/v1/tenant").json().at("/company/legal_name").isNull()).isTrue();
        assertThat(other.get("/v1/tenant").str("id")).isEqualTo(other.tenant.id());
    }
}
