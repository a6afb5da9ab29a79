package tollgate.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class AccountsApiTest {
    @Parameter
    TestDatabase database;
    ApiClient api;

    @BeforeEach
    void tenant() {
        api = TestServer.on(database).newTenant();
    }

    @Test
    void anAccountKeepsItsCompanyDetailsAndIsWrittenWithLowerCaseCurrency() {
        Res created = api.post("/v1/accounts", """
                {"name": "Acme Agency", "email": "ops@acme.test", "currency": "EUR", "timezone": "Europe/Berlin",
                 "company": {"legal_name": "Acme GmbH", "tax_id": "DE123456789", "billing_email": "billing@acme.test",
                             "address": {"line1": "Hauptstr. 1", "city": "Berlin", "postal_code": "10115", "country": "DE"}}}""");
        assertThat(created.status()).isEqualTo(200);
        String id = created.str("id");
        assertThat(id).startsWith("acct_");
        assertThat(created.str("object")).isEqualTo("account");
        assertThat(created.str("currency")).isEqualTo("eur");
        assertThat(created.str("created_at")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");

        Res fetched = api.get("/v1/accounts/" + id);
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.json().at("/company/legal_name").asText()).isEqualTo("Acme GmbH");
        assertThat(fetched.json().at("/company/tax_id").asText()).isEqualTo("DE123456789");
        assertThat(fetched.json().at("/company/billing_email").asText()).isEqualTo("billing@acme.test");
        assertThat(fetched.json().at("/company/address/city").asText()).isEqualTo("Berlin");
        assertThat(fetched.json().at("/company/address/country").asText()).isEqualTo("DE");
        assertThat(fetched.str("timezone")).isEqualTo("Europe/Berlin");
    }

    @Test
    void theTimeZoneDefaultsToUtc() {
        Res created = api.post("/v1/accounts", "{\"name\":\"Shop\",\"email\":\"a@shop.test\",\"currency\":\"usd\"}");
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.str("timezone")).isEqualTo("UTC");
        assertThat(created.json().at("/company/legal_name").isNull()).isTrue();
    }

    @Test
    void anUnknownCurrencyIsRefusedAndNothingIsCreated() {
        Res r = api.post("/v1/accounts", "{\"name\":\"Shop\",\"email\":\"a@shop.test\",\"currency\":\"xyz\"}");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.code()).isEqualTo("currency_invalid");
        assertThat(r.str("field")).isEqualTo("currency");
        assertThat(api.get("/v1/accounts").json().get("data")).isEmpty();
    }

    @Test
    void aTimeZoneMustBeAnIanaZone() {
        for (String zone : new String[] {"Mars/Olympus", "+02:00", "CEST"}) {
            Res r = api.post("/v1/accounts", "{\"name\":\"Shop\",\"email\":\"a@shop.test\",\"currency\":\"usd\",\"timezone\":\"" + zone + "\"}");
            assertThat(r.status()).as(zone).isEqualTo(422);
            assertThat(r.code()).isEqualTo("timezone_invalid");
            assertThat(r.str("field")).isEqualTo("timezone");
        }
        assertThat(api.get("/v1/accounts").json().get("data")).isEmpty();
    }

    @Test
    void nestedMistakesNameTheNestedField() {
        Res r = api.post("/v1/accounts", """
                {"name":"Shop","email":"a@shop.test","currency":"usd","company":{"address":{"country":"Germany"}}}""");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.str("field")).isEqualTo("company.address.country");

        Res unknown = api.post("/v1/accounts", """
                {"name":"Shop","email":"a@shop.test","currency":"usd","company":{"vat":"x"}}""");
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.code()).isEqualTo("unknown_field");
        assertThat(unknown.str("field")).isEqualTo("company.vat");

        Res badEmail = api.post("/v1/accounts", """
                {"name":"Shop","email":"a@shop.test","currency":"usd","company":{"billing_email":"nobody"}}""");
        assertThat(badEmail.code()).isEqualTo("email_invalid");
        assertThat(badEmail.str("field")).isEqualTo("company.billing_email");
    }

    @Test
    void anUnknownAccountIs404() {
        Res r = api.get("/v1/accounts/acct_doesnotexist");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.code()).isEqualTo("resource_missing");
    }

    @Test
    void openingAnAccountRecordsAnEvent() {
        String id = api.newAccount("Evented", "usd", "UTC");
        Res events = api.get("/v1/events?type=account.created&account=" + id);
        assertThat(events.json().get("data")).hasSize(1);
        assertThat(events.json().at("/data/0/data/id").asText()).isEqualTo(id);
    }
}
