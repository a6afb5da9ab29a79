package tollgate.api;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tollgate.licensing.Bundle;
import tollgate.licensing.License;
import tollgate.licensing.LicenseChange;
import tollgate.licensing.LicenseStatus;
import tollgate.licensing.Licensing;
import tollgate.licensing.SigningKeys;
import tollgate.licensing.SiteCheck;

/** A license as the API shows it (SPEC §3; openapi fragment {@code licenses}); {@code key} is null in events. */
public record LicenseJson(String id, String object, String account, String key, String keySuffix, String plan, String bundle,
                          LicenseStatus status, String siteUrl, Map<String, String> metadata, Instant issuedAt,
                          Instant revokedAt) {

    public static LicenseJson of(License l) {
        return new LicenseJson(l.id(), "license", l.account(), l.key(), l.keySuffix(), l.plan(), l.bundle(), l.status(),
                l.siteUrl(), l.metadata(), l.issuedAt(), l.revokedAt());
    }

    /** A bundle and its licenses. */
    public record BundleJson(String id, String object, String account, String plan, int size, String status, Instant createdAt,
                             Instant revokedAt, List<License> licenses) {
        public static BundleJson of(Bundle b) {
            return new BundleJson(b.id(), "bundle", b.account(), b.plan(), b.size(), b.status(), b.createdAt(), b.revokedAt(),
                    b.licenses());
        }
    }

    /** A signed license file (openapi fragment {@code licenses}): {@code license} is the signed payload, readable. */
    public record CertificateJson(String id, String object, String algorithm, String keyId, String payload, String signature,
                                  Map<String, Object> license) {
        static CertificateJson of(Licensing.Certificate c) {
            return new CertificateJson(c.id(), "license_certificate", c.algorithm(), c.keyId(), c.payload(), c.signature(),
                    c.license());
        }
    }

    /** The tenant's published key; its {@code id} is its {@code key_id}. */
    public record SigningKeyJson(String id, String object, String keyId, String algorithm, String publicKey, String publicKeyPem) {
        static SigningKeyJson of(SigningKeys.PublicKey k) {
            return new SigningKeyJson(k.keyId(), "license_signing_key", k.keyId(), k.algorithm(), k.publicKey(), k.publicKeyPem());
        }
    }

    /** What a site is told by validate and activate. */
    public record VerdictJson(boolean valid, String status, String plan, String reason) {
        static VerdictJson of(SiteCheck.Verdict v) {
            return new VerdictJson(v.valid(), v.status(), v.plan(), v.reason());
        }
    }

    /** An event's data for a changed license: the license's fields, then {@code previous_<field>}. */
    public static Map<String, Object> of(LicenseChange c) {
        Map<String, Object> data = ApiJson.MAPPER.convertValue(of(c.license()), ApiJson.MAPPER.getTypeFactory()
                .constructMapType(LinkedHashMap.class, String.class, Object.class));
        data.put("previous_" + c.field(), c.previous());
        return data;
    }
}
