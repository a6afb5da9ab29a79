package tollgate.licensing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.core.Json;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.Fixtures;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/** Offline verification: a license file signed with the tenant's Ed25519 key, checked with plain JDK code. */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class CertificateTest {
    @Parameter
    TestDatabase database;

    /** Exactly what the README shows a site doing: JDK classes only. */
    static boolean verify(String publicKeyBase64, String payloadBase64, String signatureBase64) throws Exception {
        PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(publicKeyBase64)));
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(key);
        verifier.update(Base64.getDecoder().decode(payloadBase64));
        return verifier.verify(Base64.getDecoder().decode(signatureBase64));
    }

    @Test
    void aCertificateVerifiesWithThePublishedKeyAndSaysWhatItLicenses() throws Exception {
        ApiClient api = TestServer.on(database).newTenant();
        String account = Fixtures.payingAccount(api, "Agency", "usd");
        String plan = Fixtures.licensePlan(api, "usd", 900);
        String id = Fixtures.issueOne(api, account, plan);
        Res assigned = api.post("/v1/licenses/" + id + "/assign", "{\"site_url\":\"https://a.example\"}");

        Res published = api.get("/v1/license_signing_key");
        assertThat(published.str("algorithm")).isEqualTo("Ed25519");
        assertThat(published.str("public_key_pem")).startsWith("-----BEGIN PUBLIC KEY-----");
        Res cert = api.get("/v1/licenses/" + id + "/certificate");
        assertThat(cert.status()).isEqualTo(200);
        assertThat(cert.str("key_id")).isEqualTo(published.str("key_id"));
        assertThat(verify(published.str("public_key"), cert.str("payload"), cert.str("signature"))).isTrue();

        var payload = Json.MAPPER.readTree(Base64.getDecoder().decode(cert.str("payload")));
        assertThat(payload.get("key").asText()).isEqualTo(assigned.str("key"));
        assertThat(payload.get("plan").asText()).isEqualTo(plan);
        assertThat(payload.get("site").asText()).isEqualTo("https://a.example");
        assertThat(payload.get("status").asText()).isEqualTo("assigned");
        assertThat(payload.get("issued_at").asText()).isEqualTo(assigned.str("issued_at"));
        Instant now = Instant.parse(api.get("/v1/test_clock").str("now"));
        assertThat(Instant.parse(payload.get("valid_until").asText())).isEqualTo(now.plus(Licensing.CERTIFICATE_VALIDITY));

        // A changed payload or another tenant's key does not verify.
        String forged = Base64.getEncoder().encodeToString(new String(Base64.getDecoder().decode(cert.str("payload")), StandardCharsets.UTF_8)
                .replace("https://a.example", "https://b.example").getBytes(StandardCharsets.UTF_8));
        assertThat(verify(published.str("public_key"), forged, cert.str("signature"))).isFalse();
        String otherKey = TestServer.on(database).newTenant().get("/v1/license_signing_key").str("public_key");
        assertThat(otherKey).isNotEqualTo(published.str("public_key"));
        assertThat(verify(otherKey, cert.str("payload"), cert.str("signature"))).isFalse();
        // The tenant keeps one key.
        assertThat(api.get("/v1/license_signing_key").str("public_key")).isEqualTo(published.str("public_key"));
    }

    @Test
    void aRevokedLicensesCertificateEndsWhenItWasRevoked() throws Exception {
        ApiClient api = TestServer.on(database).newTenant();
        String account = Fixtures.payingAccount(api, "Agency", "usd");
        String id = Fixtures.issueOne(api, account, Fixtures.licensePlan(api, "usd", 900));
        Res revoked = api.post("/v1/licenses/" + id + "/revoke", null);
        Res cert = api.get("/v1/licenses/" + id + "/certificate");
        var payload = Json.MAPPER.readTree(Base64.getDecoder().decode(cert.str("payload")));
        assertThat(payload.get("status").asText()).isEqualTo("revoked");
        assertThat(payload.get("valid_until").asText()).isEqualTo(revoked.str("revoked_at"));
    }
}
