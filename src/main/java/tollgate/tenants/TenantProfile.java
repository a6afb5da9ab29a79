package tollgate.tenants;

/**
 * The tenant as {@code GET /v1/tenant} shows it: its name, mode, company details, its default dunning policy (a
 * built-in name or one of its policies' ids; null: the built-in matching each plan's type) and the gateway it attaches
 * new cards through ({@code sandbox} or {@code stripe}; null for its mode's default), the {@code slug} of its portal's
 * address ({@code /portal/{slug}/}; null: its id), how its emails look ({@code branding}) and its own Stripe account,
 * if any: the secret key's prefix and last four ({@code stripeKeyHint}; the key itself is sealed and never shown) and
 * the publishable key Stripe.js needs (decision 044).
 */
public record TenantProfile(String id, String name, String mode, SellerCompany company, String dunningPolicy,
                            String gateway, String slug, EmailBranding branding, String stripeKeyHint, String stripePublishableKey) {
    public TenantProfile {
        if (branding == null) branding = EmailBranding.NONE;
    }

    /** A tenant on the server-wide Stripe key (or none). */
    public TenantProfile(String id, String name, String mode, SellerCompany company, String dunningPolicy,
                         String gateway, String slug, EmailBranding branding) {
        this(id, name, mode, company, dunningPolicy, gateway, slug, branding, null, null);
    }

    public TenantProfile(String id, String name, String mode, SellerCompany company, String dunningPolicy, String gateway) {
        this(id, name, mode, company, dunningPolicy, gateway, null, EmailBranding.NONE);
    }


    /** A tenant with neither a default dunning policy nor a gateway of its own choosing. */
    public TenantProfile(String id, String name, String mode, SellerCompany company) {
        this(id, name, mode, company, null, null);
    }
}
