package tollgate.api;

import java.util.List;
import tollgate.parties.Company;
import tollgate.payments.Gateways;
import tollgate.tenants.EmailBranding;
import tollgate.tenants.SellerCompany;
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
                    Body b = call.body().only("name", "company", "dunning_policy", "gateway", "slug", "branding");
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
                        gateways.requireChoosable(call.tenant(), gateway.name(), "gateway");
                    }
                    Body br = b.optObject("branding");
                    EmailBranding branding = null;
                    if (br != null) {
                        br.only("sender_name", "sender_email", "reply_to", "logo_url", "brand_color", "accent_color");
                        branding = new EmailBranding(br.optString("sender_name"), br.optString("sender_email"), br.optString("reply_to"),
                                br.optString("logo_url"), br.optString("brand_color"), br.optString("accent_color"));
                    }
                    return profiles.update(call.tenant(), name, company, b.optString("dunning_policy"), gateway, b.optString("slug"), branding);
                }));
    }
}
