package tollgate.api;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tollgate.licensing.Bundle;
import tollgate.licensing.License;
import tollgate.licensing.LicenseChange;
import tollgate.licensing.LicenseStatus;

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

    /** An event's data for a changed license: the license's fields, then {@code previous_<field>}. */
    public static Map<String, Object> of(LicenseChange c) {
        Map<String, Object> data = ApiJson.MAPPER.convertValue(of(c.license()), ApiJson.MAPPER.getTypeFactory()
                .constructMapType(LinkedHashMap.class, String.class, Object.class));
        data.put("previous_" + c.field(), c.previous());
        return data;
    }
}
