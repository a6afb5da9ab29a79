package tollgate.tenants;

/**
 * The tenant as {@code GET /v1/tenant} shows it: its name, mode, company details and the gateway it attaches new
 * cards through ({@code sandbox} or {@code stripe}; null for its mode's default).
 */
public record TenantProfile(String id, String object, String name, String mode, SellerCompany company, String gateway) {
    public TenantProfile(String id, String name, String mode, SellerCompany company) {
        this(id, name, mode, company, null);
    }

    public TenantProfile(String id, String name, String mode, SellerCompany company, String gateway) {
        this(id, "tenant", name, mode, company, gateway);
    }
}
