package tollgate.api;

import java.util.List;
import tollgate.accounts.Company;
import tollgate.tenants.SellerCompany;
import tollgate.tenants.TenantProfiles;

/**
 * {@code /v1/tenant}: the tenant's own name and company details, as its invoices show the seller, and its default
 * dunning policy ({@code "dunning_policy": ""} clears it; null or absent leaves it).
 */
public final class TenantApi implements Api {
    private final TenantProfiles profiles;

    public TenantApi(TenantProfiles profiles) {
        this.profiles = profiles;
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
                    Body b = call.body().only("name", "company", "dunning_policy");
                    String name = b.optString("name");
                    Body c = b.optObject("company");
                    SellerCompany company = null;
                    if (c != null) {
                        Company details = CompanyFields.read(c, "support_email");
                        company = new SellerCompany(details, c.optString("support_email"));
                    }
                    return profiles.update(call.tenant(), name, company, b.optString("dunning_policy"));
                }));
    }
}
