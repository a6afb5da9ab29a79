package tollgate.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import tollgate.parties.Address;
import tollgate.tenants.ApiKey;
import tollgate.tenants.EmailBranding;
import tollgate.tenants.SellerCompany;
import tollgate.tenants.TenantProfile;

/** The tenant's own resources as the API shows them (openapi fragments {@code tenant} and {@code api_keys}). */
final class TenantJson {
    private TenantJson() {}

    /** {@code GET /v1/tenant}: the seller's company with its details inline. */
    public record ProfileJson(String id, String object, String name, String mode, SellerJson company, String dunningPolicy,
                              String gateway, String slug, EmailBranding branding, String stripeSecretKeyHint,
                              String stripePublishableKey) {
        static ProfileJson of(TenantProfile p) {
            return new ProfileJson(p.id(), "tenant", p.name(), p.mode(), p.company() == null ? null : SellerJson.of(p.company()),
                    p.dunningPolicy(), p.gateway(), p.slug(), p.branding(), p.stripeKeyHint(), p.stripePublishableKey());
        }
    }

    /** The account's company fields, then {@code support_email}. */
    public record SellerJson(String legalName, Address address, String taxId, String billingEmail, String supportEmail) {
        static SellerJson of(SellerCompany s) {
            var c = s.details();
            return c == null ? new SellerJson(null, null, null, null, s.supportEmail())
                    : new SellerJson(c.legalName(), c.address(), c.taxId(), c.billingEmail(), s.supportEmail());
        }
    }

    /** How the tenant's emails look and who they come from; every field may be null. */
    public record BrandingJson(String senderName, String senderEmail, String replyTo, String logoUrl, String brandColor,
                               String accentColor) {
        static BrandingJson of(EmailBranding b) {
            return new BrandingJson(b.senderName(), b.senderEmail(), b.replyTo(), b.logoUrl(), b.brandColor(), b.accentColor());
        }
    }

    /** A secret key: {@code secret} only in the answer that creates it. */
    public record ApiKeyJson(String id, String object, String name, String prefix, String last4, Instant createdAt,
                             Instant lastUsedAt, @JsonInclude(JsonInclude.Include.NON_NULL) String secret) {
        static ApiKeyJson of(ApiKey k) {
            return new ApiKeyJson(k.id(), "api_key", k.name(), k.prefix(), k.last4(), k.createdAt(), k.lastUsedAt(), k.secret());
        }
    }
}
