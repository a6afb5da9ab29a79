package tollgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.Fixtures;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/** Issue #10 1.9, SPEC §8: every answer of a resource has an {@code id} and an {@code object}. */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class ResourceIdsTest {
    @Parameter
    TestDatabase database;

    @Test
    void theTestClockHasAnIdOfItsTenant() {
        ApiClient api = TestServer.on(database).newTenant();
        Res clock = api.get("/v1/test_clock");
        assertThat(clock.str("object")).isEqualTo("test_clock");
        String tenantPart = api.tenant.id().substring(api.tenant.id().indexOf('_') + 1);
        assertThat(clock.str("id")).isEqualTo("clock_" + tenantPart);
        Res advanced = api.post("/v1/test_clock/advance", "{\"to\":\"" + clock.str("now") + "\"}");
        assertThat(advanced.str("id")).isEqualTo(clock.str("id"));
        assertThat(TestServer.on(database).newTenant().get("/v1/test_clock").str("id")).isNotEqualTo(clock.str("id"));
    }

    @Test
    void aCertificateAndTheSigningKeyHaveIds() {
        ApiClient api = TestServer.on(database).newTenant();
        String account = Fixtures.payingAccount(api, "Agency", "usd");
        String license = Fixtures.issueOne(api, account, Fixtures.licensePlan(api, "usd", 900));

        Res cert = api.get("/v1/licenses/" + license + "/certificate");
        assertThat(cert.str("object")).isEqualTo("license_certificate");
        assertThat(cert.str("id")).startsWith("lcert_");
        assertThat(api.get("/v1/licenses/" + license + "/certificate").str("id")).isNotEqualTo(cert.str("id"));

        Res key = api.get("/v1/license_signing_key");
        assertThat(key.str("object")).isEqualTo("license_signing_key");
        assertThat(key.str("id")).startsWith("lsk_").isEqualTo(key.str("key_id")).isEqualTo(cert.str("key_id"));
    }
}
