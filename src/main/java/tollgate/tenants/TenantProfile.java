package tollgate.tenants;

/**
 * The tenant as {@code GET /v1/tenant} shows it: its name, mode, company details and default dunning policy (a
 * built-in name or one of its policies' ids; null: the built-in matching each plan's type).
 */
public record TenantProfile(String id, String object, String name, String mode, SellerCompany company, String dunningPolicy) {
    public TenantProfile(String id, String name, String mode, SellerCompany company, String dunningPolicy) {
        this(id, "tenant", name, mode, company, dunningPolicy);
    }

    /** A tenant without a default dunning policy of its own. */
    public TenantProfile(String id, String name, String mode, SellerCompany company) {
        this(id, name, mode, company, null);
    }
}
