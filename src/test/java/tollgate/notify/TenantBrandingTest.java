package tollgate.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/** The tenant's sender, brand and portal slug: set with POST /v1/tenant, refused field by field, nothing half-written. */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class TenantBrandingTest {
    @Parameter
    TestDatabase database;

    private static void refused(Res r, int status, String code, String field) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.code()).isEqualTo(code);
        if (field != null) assertThat(r.json().get("field").asText()).isEqualTo(field);
    }

    @Test
    void theBrandingIsSetReadAndReplacedWhole() {
        ApiClient api = TestServer.on(database).newTenant();
        JsonNode none = api.get("/v1/tenant").json();
        assertThat(none.get("slug").isNull()).isTrue();
        assertThat(none.get("branding").get("sender_email").isNull()).isTrue();

        String slug = "brand-" + api.tenant.id().substring(4).toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        Res set = api.post("/v1/tenant", "{\"slug\":\"" + slug + "\",\"branding\":{\"sender_name\":\"Hostmost Billing\","
                + "\"sender_email\":\"billing@hostmost.test\",\"reply_to\":\"help@hostmost.test\",\"logo_url\":\"https://hostmost.test/l.png\","
                + "\"brand_color\":\"#0f766e\",\"accent_color\":\"#ECFDF5\"}}");
        assertThat(set.status()).as(set.text()).isEqualTo(200);
        JsonNode b = api.get("/v1/tenant").json();
        assertThat(b.get("slug").asText()).isEqualTo(slug);
        assertThat(b.get("branding").toString()).isEqualTo("{\"sender_name\":\"Hostmost Billing\",\"sender_email\":\"billing@hostmost.test\","
                + "\"reply_to\":\"help@hostmost.test\",\"logo_url\":\"https://hostmost.test/l.png\",\"brand_color\":\"#0f766e\",\"accent_color\":\"#ECFDF5\"}");

        assertThat(api.post("/v1/tenant", "{\"branding\":{\"sender_name\":\"Only a name\"}}").status()).isEqualTo(200);
        JsonNode replaced = api.get("/v1/tenant").json().get("branding");
        assertThat(replaced.get("sender_name").asText()).isEqualTo("Only a name");
        assertThat(replaced.get("sender_email").isNull()).isTrue();
        assertThat(api.get("/v1/tenant").json().get("slug").asText()).as("left alone").isEqualTo(slug);

        ApiClient other = TestServer.on(database).newTenant();
        refused(other.post("/v1/tenant", "{\"slug\":\"" + slug + "\"}"), 409, "slug_taken", "slug");
        assertThat(api.post("/v1/tenant", "{\"slug\":\"\"}").status()).isEqualTo(200);
        assertThat(api.get("/v1/tenant").json().get("slug").isNull()).isTrue();
        assertThat(other.post("/v1/tenant", "{\"slug\":\"" + slug + "\"}").status()).as("free again").isEqualTo(200);
    }

    @Test
    void badBrandingIsRefusedFieldByFieldAndChangesNothing() {
        ApiClient api = TestServer.on(database).newTenant();
        String before = api.get("/v1/tenant").text();
        refused(api.post("/v1/tenant", "{\"branding\":{\"sender_name\":\"Evil\\r\\nBcc: all@example.com\"}}"), 422, "parameter_invalid",
                "branding.sender_name");
        refused(api.post("/v1/tenant", "{\"branding\":{\"sender_email\":\"not an address\"}}"), 422, "email_invalid", "branding.sender_email");
        refused(api.post("/v1/tenant", "{\"branding\":{\"reply_to\":\"x@\"}}"), 422, "email_invalid", "branding.reply_to");
        refused(api.post("/v1/tenant", "{\"branding\":{\"logo_url\":\"javascript:alert(1)\"}}"), 422, "parameter_invalid", "branding.logo_url");
        refused(api.post("/v1/tenant", "{\"branding\":{\"logo_url\":\"https://x.test/\\\"onerror=\\\"alert(1)\"}}"), 422, "parameter_invalid",
                "branding.logo_url");
        refused(api.post("/v1/tenant", "{\"branding\":{\"brand_color\":\"red\"}}"), 422, "parameter_invalid", "branding.brand_color");
        refused(api.post("/v1/tenant", "{\"branding\":{\"accent_color\":\"#12345\"}}"), 422, "parameter_invalid", "branding.accent_color");
        refused(api.post("/v1/tenant", "{\"branding\":{\"colour\":\"#123456\"}}"), 422, "unknown_field", "branding.colour");
        refused(api.post("/v1/tenant", "{\"branding\":\"blue\"}"), 422, "invalid_type", "branding");
        refused(api.post("/v1/tenant", "{\"slug\":\"Not A Slug\"}"), 422, "parameter_invalid", "slug");
        refused(api.post("/v1/tenant", "{\"slug\":\"-dash\"}"), 422, "parameter_invalid", "slug");
        refused(api.post("/v1/tenant", "{\"name\":\"Renamed\",\"branding\":{\"brand_color\":\"red\"}}"), 422, "parameter_invalid",
                "branding.brand_color");
        assertThat(api.get("/v1/tenant").text()).as("nothing half-written").isEqualTo(before);
    }
}
