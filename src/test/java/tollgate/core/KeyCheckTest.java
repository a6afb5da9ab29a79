package tollgate.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tollgate.Config;
import tollgate.Tollgate;
import tollgate.tenants.Tenant;
import tollgate.testing.TestClocks;

/**
 * Decision 079: a database refuses a start with another encryption key than the one its secrets were sealed with — a
 * restored copy started without its key, or a mistyped TOLLGATE_ENCRYPTION_KEY — before anything is sealed with it.
 */
class KeyCheckTest {
    private static final String KEY = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    private static final String OTHER = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA=";

    @TempDir
    Path dataDir;

    @Test
    void aStartWithAnotherKeyIsRefusedAndTheRightOneStillStarts() throws Exception {
        Config withKey = new Config(null, null, null, dataDir, 0, null).withEncryptionKey(KEY);
        String secretKey;
        try (Tollgate app = Tollgate.build(withKey, TestClocks.SYSTEM)) {
            secretKey = app.tenants.create("Acme", Tenant.Mode.TEST).secretKey();
        }
        assertThatThrownBy(() -> Tollgate.build(withKey.withEncryptionKey(OTHER), TestClocks.SYSTEM))
                .hasMessageContaining("the encryption key is not the one this database's secrets were sealed with");
        // Started as a restored copy without its key: the data directory's encryption.key is made now, and is another key.
        assertThatThrownBy(() -> Tollgate.build(new Config(null, null, null, dataDir, 0, null), TestClocks.SYSTEM))
                .hasMessageContaining("replacing one this start may have made");
        assertThat(Files.exists(dataDir.resolve("encryption.key"))).isTrue();
        try (Tollgate app = Tollgate.build(withKey, TestClocks.SYSTEM)) {
            assertThat(app.tenants.authenticate(secretKey)).isPresent();
        }
    }

    @Test
    void aDatabaseFromBeforeTheCheckRefusesAKeyItsSecretsDoNotOpenWith() throws Exception {
        Config withKey = new Config(null, null, null, dataDir, 0, null).withEncryptionKey(KEY);
        try (Tollgate app = Tollgate.build(withKey, TestClocks.SYSTEM)) {
            tollgate.testing.ApiClient api = tollgate.testing.ApiClient.at("http://127.0.0.1:" + app.start(0),
                    app.tenants.create("Acme", Tenant.Mode.TEST).secretKey());
            String account = api.newAccount("Agency", "usd", "UTC");
            String plan = tollgate.testing.Fixtures.licensePlan(api, "usd", 900);
            api.post("/v1/accounts/" + account + "/payment_methods", "{\"token\":\"tok_visa\"}");
            assertThat(api.post("/v1/accounts/" + account + "/licenses", "{\"plan\":\"" + plan + "\"}").status()).isEqualTo(200);
            // As a database from before V49 is: its secrets sealed, no check recorded.
            app.db.dsl().execute("delete from vault_check");
        }
        assertThatThrownBy(() -> Tollgate.build(withKey.withEncryptionKey(OTHER), TestClocks.SYSTEM))
                .hasMessageContaining("the encryption key is not the one this database's secrets were sealed with");
        try (Tollgate app = Tollgate.build(withKey, TestClocks.SYSTEM)) {
            assertThat(app.db.dsl().fetchOne("select count(*) from vault_check").get(0, Integer.class)).as("recorded now").isEqualTo(1);
        }
    }
}
