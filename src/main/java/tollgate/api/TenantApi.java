package tollgate.api;

import java.util.List;
import tollgate.parties.Company;
import tollgate.payments.Gateways;
import tollgate.tenants.EmailBranding;
import tollgate.tenants.SellerCompany;
import tollgate.tenants.StripeKeys;
import tollgate.tenants.TenantProfiles;
import tollgate.tenants.TenantProfiles.GatewayChoice;

/**
 * {@code /v1/tenant}: the tenant's own name and company details, as its invoices show the seller, its default
 * dunning policy ({@code "dunning_policy": ""} clears it; null or absent leaves it) and the gateway it attaches new
 * cards through, its portal's {@code slug} and its emails' {@code branding} (sender, reply-to, logo, colours).
 */
public final class TenantApi implements Api {
    private final TenantProfiles profiles;
    private final Gateways gateways;

    public TenantApi(TenantProfiles profiles, Gateways gateways) {
        this.profiles = profiles;
        this.gateways = gateways;
    }

    @Override
    public String openApiFragment() {
        return "tenant";
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get("/v1/tenant", call -> profiles.get(call.tenant())),
                Route.post("/v1/tenant", call -> {
                    Body b = call.body().only("name", "company", "dunning_policy", "gateway", "slug", "branding",
                            "stripe_secret_key", "stripe_publishable_key");
                    String name = b.optString("name");
                    Body c = b.optObject("company");
                    SellerCompany company = null;
                    if (c != null) {
                        Company details = CompanyFields.read(c, "support_email");
                        company = new SellerCompany(details, c.optString("support_email"));
                    }
                    GatewayChoice gateway = null;
                    if (b.isNull("gateway")) {
                        gateway = GatewayChoice.DEFAULT;
                    } else if (b.has("gateway")) {
                        gateway = new GatewayChoice(b.optString("gateway"));
                    }
                    Body br = b.optObject("branding");
                    EmailBranding branding = null;
                    if (br != null) {
                        br.only("sender_name", "sender_email", "reply_to", "logo_url", "brand_color", "accent_color");
                        branding = new EmailBranding(br.optString("sender_name"), br.optString("sender_email"), br.optString("reply_to"),
                                br.optString("logo_url"), br.optString("brand_color"), br.optString("accent_color"));
                    }
                    StripeKeys stripe = stripeKeys(b);
                    gateways.requireUsableSettings(call.tenant(), gateway, stripe);
                    return profiles.update(call.tenant(), name, company, b.optString("dunning_policy"), gateway, b.optString("slug"),
                            branding, stripe);
                }));
    }

    /**
     * The tenant's own Stripe account (decision 044): {@code stripe_secret_key} sets it (with the optional
     * {@code stripe_publishable_key}), null or {@code ""} removes it; absent leaves it as it is.
     */
    private static StripeKeys stripeKeys(Body b) {
        if (b.isNull("stripe_secret_key")) return StripeKeys.CLEAR;
        if (!b.has("stripe_secret_key")) {
            if (b.has("stripe_publishable_key"))
                throw tollgate.core.Problem.invalid("stripe_publishable_key", "parameter_invalid",
                        "'stripe_publishable_key' is set together with 'stripe_secret_key'");
            return null;
        }
        String secret = b.optString("stripe_secret_key");
        if (secret.isEmpty()) return StripeKeys.CLEAR;
        String publishable = b.optString("stripe_publishable_key");
        return new StripeKeys(secret, publishable == null || publishable.isEmpty() ? null : publishable);
    }
}
