package tollgate.tenants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tollgate.Config;
import tollgate.Tollgate;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.TestClocks;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/** SPEC §8: a key never sees another tenant's data. */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class TenancyTest {
    @Parameter
    TestDatabase database;

    @Test
    void aKeyOnlyEverSeesItsOwnTenantsData() {
        TestServer server = TestServer.on(database);
        ApiClient a = server.newTenant();
        ApiClient b = server.newTenant();
        String accountOfA = a.newAccount("Alpha", "usd", "UTC");

        assertThat(b.get("/v1/accounts/" + accountOfA).status()).isEqualTo(404);
        assertThat(b.get("/v1/accounts").json().get("data")).isEmpty();
        assertThat(b.get("/v1/events?account=" + accountOfA).json().get("data")).isEmpty();
        assertThat(a.get("/v1/accounts/" + accountOfA).status()).isEqualTo(200);
        assertThat(a.get("/v1/accounts").json().get("data")).hasSize(1);
    }

    @Test
    void keysAreStoredOnlyAsHashes() {
        TestServer server = TestServer.on(database);
        ApiClient a = server.newTenant();
        var db = server.app.db.dsl();
        assertThat(db.fetchCount(db.selectFrom("api_keys").where("key_hash = ?", ApiKeys.hash(a.key)))).isEqualTo(1);
        String everything = db.fetch("select * from api_keys").formatCSV();
        assertThat(everything).doesNotContain(a.key);
        assertThat(a.key).matches("tg_test_[A-Za-z0-9]{32}");
    }

    @Test
    void aBootstrapKeyCreatesATestTenantOnlyOnAnEmptyDatabase() {
        Config config = new Config(database.freshUrl(), null, null, Path.of("target/test-data"), 0, null);
        try (Tollgate fresh = Tollgate.build(config, TestClocks.SYSTEM)) {
            var created = fresh.tenants.bootstrap("tg_test_bootstrapbootstrap123");
            assertThat(created).isPresent();
            assertThat(created.get().tenant().mode()).isEqualTo(Tenant.Mode.TEST);
            assertThat(fresh.tenants.authenticate("tg_test_bootstrapbootstrap123")).contains(created.get().tenant());
            // Not empty any more: a second start with the same (or another) key creates nothing.
            assertThat(fresh.tenants.bootstrap("tg_test_anotherbootstrapkey9")).isEmpty();
            assertThat(fresh.tenants.authenticate("tg_test_anotherbootstrapkey9")).isEmpty();
        }
    }

    @Test
    void malformedKeysAreRefusedWhenCreatingATenant() {
        TestServer server = TestServer.on(database);
        assertThatThrownBy(() -> server.app.tenants.createWithKey("x", Tenant.Mode.TEST, "tg_live_abcdefghijklmnopqrstu"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> server.app.tenants.createWithKey("x", Tenant.Mode.TEST, "short"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
