package tollgate.licensing;

/**
 * The answer a site gets from {@code GET /v1/licenses/validate}: valid only when the key names a license that
 * is assigned to this very site. Pure, so the hot path is a cache lookup and this.
 */
public final class SiteCheck {
    /** A site's answer, {@code {valid, status, plan, reason}} (api's {@code LicenseJson.VerdictJson}); reason is null when valid. */
    public record Verdict(boolean valid, String status, String plan, String reason) {}

    /** A license as the validation cache holds it: no key, nothing personal. */
    public record Snapshot(String tenantId, String licenseId, String accountId, String planId, LicenseStatus status, String siteUrl) {}

    private static final Verdict NOT_FOUND = new Verdict(false, null, null, "not_found");

    private SiteCheck() {}

    public static Verdict verdict(Snapshot license, String normalizedSite) {
        if (license == null) return NOT_FOUND;
        String status = license.status().wire();
        return switch (license.status()) {
            case REVOKED -> new Verdict(false, status, license.planId(), "revoked");
            case UNASSIGNED -> new Verdict(false, status, license.planId(), "unassigned");
            case ASSIGNED -> license.siteUrl().equals(normalizedSite)
                    ? new Verdict(true, status, license.planId(), null)
                    : new Verdict(false, status, license.planId(), "site_mismatch");
        };
    }
}
