package tollgate.licensing;

import java.time.Instant;
import java.util.List;

/**
 * A bundle of {@code size} licenses. SPEC §3: revoking one of its licenses issues a replacement at once, so an
 * active bundle always has {@code size} non-revoked licenses; revoking the bundle revokes them all.
 */
public record Bundle(String id, String account, String plan, int size, String status, Instant createdAt,
                     Instant revokedAt, List<License> licenses) {
    public static final String ACTIVE = "active";
    public static final String REVOKED = "revoked";

    /** Not a field of the API's bundle: {@code status} says it (SPEC §3), and one answer needs no second. */
    public boolean isActive() {
        return ACTIVE.equals(status);
    }

    public Bundle withLicenses(List<License> newLicenses) {
        return new Bundle(id, account, plan, size, status, createdAt, revokedAt, newLicenses);
    }
}
