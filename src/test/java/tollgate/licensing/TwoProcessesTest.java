package tollgate.licensing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.Tollgate;
import tollgate.testing.ApiClient;
import tollgate.testing.Fixtures;
import tollgate.testing.TestClocks;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/** Two server processes on one database: a revocation through one shows on the other's validation within seconds. */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class TwoProcessesTest {
    @Parameter
    TestDatabase database;

    @Test
    void aChangeMadeByAnotherProcessReachesThisProcesssCacheWithinSeconds() throws Exception {
        TestServer first = TestServer.on(database);
        ApiClient api = first.newTenant();
        String account = Fixtures.payingAccount(api, "Agency", "usd");
        String id = Fixtures.issueOne(api, account, Fixtures.licensePlan(api, "usd", 900));
        String key = api.post("/v1/licenses/" + id + "/assign", "{\"site_url\":\"https://a.example\"}").str("key");
        ApiClient site = first.anonymous();
        String query = "/v1/licenses/validate?key=" + key + "&site_url=https://a.example";
        assertThat(site.get(query).json().get("valid").asBoolean()).isTrue();

        try (Tollgate second = Tollgate.build(first.config, TestClocks.SYSTEM)) {
            second.licensing.revoke(api.tenant, id);
        }
        // Entries may live 600 s (TestServer.GENEROUS); only the change poll can make this happen within 3 s.
        long deadline = System.nanoTime() + 3_000_000_000L;
        String reason = null;
        while (System.nanoTime() < deadline) {
            reason = site.get(query).str("reason");
            if ("revoked".equals(reason)) break;
            Thread.sleep(100);
        }
        assertThat(reason).isEqualTo("revoked");
    }
}
