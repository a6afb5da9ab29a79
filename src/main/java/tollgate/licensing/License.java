package tollgate.licensing;

import java.time.Instant;
import tollgate.core.Problem;

/**
 * A license for one site. {@code key} is the whole key, shown to the tenant's API and the account; it is
 * null where the license is written down for others to keep (events, webhooks), which show {@code key_suffix}.
 * The transitions are pure: they answer the changed license or refuse with a 409.
 */
public record License(String id, String account, String key, String keySuffix, String plan, String bundle,
                      LicenseStatus status, String siteUrl, java.util.Map<String, String> metadata, Instant issuedAt,
                      Instant revokedAt) {

    public License {
        metadata = metadata == null ? java.util.Map.of() : metadata;
    }

    /** The same license with other metadata (the tenant's own key/values). */
    public License withMetadata(java.util.Map<String, String> newMetadata) {
        return new License(id, account, key, keySuffix, plan, bundle, status, siteUrl, newMetadata, issuedAt, revokedAt);
    }

    public License assign(String normalizedSite) {
        refuseIfRevoked();
        if (status == LicenseStatus.ASSIGNED)
            throw Problem.conflict("license_already_assigned",
                    "This license is assigned to " + siteUrl + "; unassign it before assigning it again");
        return with(LicenseStatus.ASSIGNED, normalizedSite, null);
    }

    /** A site applying its key again is no change; any other site is refused like a second assignment. */
    public boolean isAssignedTo(String normalizedSite) {
        return status == LicenseStatus.ASSIGNED && normalizedSite.equals(siteUrl);
    }

    public License unassign() {
        refuseIfRevoked();
        if (status != LicenseStatus.ASSIGNED) throw Problem.conflict("license_not_assigned", "This license is not assigned to a site");
        return with(LicenseStatus.UNASSIGNED, null, null);
    }

    public License revoke(Instant now) {
        refuseIfRevoked();
        return with(LicenseStatus.REVOKED, siteUrl, now);
    }

    public boolean isRevoked() {
        return status == LicenseStatus.REVOKED;
    }

    /** The license as events and webhooks keep it: without the key. */
    public License withoutKey() {
        return new License(id, account, null, keySuffix, plan, bundle, status, siteUrl, metadata, issuedAt, revokedAt);
    }

    public License withKey(String fullKey) {
        return new License(id, account, fullKey, keySuffix, plan, bundle, status, siteUrl, metadata, issuedAt, revokedAt);
    }

    private void refuseIfRevoked() {
        if (isRevoked()) throw Problem.conflict("license_revoked", "This license was revoked; a revoked license cannot change");
    }

    private License with(LicenseStatus newStatus, String newSite, Instant newRevokedAt) {
        return new License(id, account, key, keySuffix, plan, bundle, newStatus, newSite, metadata, issuedAt, newRevokedAt);
    }
}
