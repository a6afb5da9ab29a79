package tollgate.tenants;

/** The tenant as {@code GET /v1/tenant} shows it: its name, mode and company details. */
public record TenantProfile(String id, String object, String name, String mode, SellerCompany company) {
    public TenantProfile(String id, String name, String mode, SellerCompany company) {
        this(id, "tenant", name, mode, company);
    }
}
