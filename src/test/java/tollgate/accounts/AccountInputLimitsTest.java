package tollgate.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.core.Json;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/** No input yields a 500: over-long and NUL-bearing values in every string field are 422s naming the field. */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class AccountInputLimitsTest {
    private static final List<String> FIELDS = List.of("name", "email", "currency", "timezone", "company.legal_name",
            "company.tax_id", "company.billing_email", "company.address.line1", "company.address.line2",
            "company.address.city", "company.address.postal_code", "company.address.state", "company.address.country");

    @Parameter
    TestDatabase database;

    private static ObjectNode valid() throws Exception {
        return (ObjectNode) Json.MAPPER.readTree("""
                {"name":"Shop","email":"a@shop.test","currency":"usd","timezone":"UTC",
                 "company":{"legal_name":"Shop Ltd","tax_id":"GB1","billing_email":"b@shop.test",
                   "address":{"line1":"1 High St","line2":"Floor 2","city":"London","postal_code":"E1 6AN","state":"LDN","country":"GB"}}}""");
    }

    private static void set(ObjectNode root, String dotted, String value) {
        String[] parts = dotted.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) node = (ObjectNode) node.get(parts[i]);
        node.put(parts[parts.length - 1], value);
    }

    @Test
    void overlongAndNulValuesAreRefusedFieldByField() throws Exception {
        ApiClient api = TestServer.on(database).newTenant();
        assertThat(api.post("/v1/accounts", valid().toString()).status()).isEqualTo(200);
        for (String field : FIELDS) {
            for (String bad : List.of("x".repeat(10_000), "a\u0000b")) {
                ObjectNode body = valid();
                set(body, field, bad);
                Res r = api.post("/v1/accounts", body.toString());
                assertThat(r.status()).as(field + " " + r.text()).isEqualTo(422);
                assertThat(r.str("field")).as(field).isEqualTo(field);
            }
        }
        assertThat(api.get("/v1/accounts").json().get("data")).hasSize(1);
    }

    @Test
    void hugeAndOddPathAndQueryValuesAreNeverA500() {
        ApiClient api = TestServer.on(database).newTenant();
        String longId = "acct_" + "z".repeat(1_000);
        assertThat(api.get("/v1/accounts/" + longId).status()).isEqualTo(404);
        assertThat(api.get("/v1/accounts?starting_after=" + longId).status()).isEqualTo(404); // no such account
        assertThat(api.get("/v1/events?type=" + "t".repeat(2_000) + "&account=" + longId).status()).isEqualTo(200);
        // Past Jetty's 8 KiB request-line limit the server itself answers 414 before any route runs.
        assertThat(api.get("/v1/accounts/acct_" + "z".repeat(20_000)).status()).isEqualTo(414);
        assertThat(api.get("/v1/accounts?limit=99999999999").status()).isEqualTo(422);
        assertThat(api.get("/v1/accounts/%00").status()).isBetween(400, 499);
    }
}
