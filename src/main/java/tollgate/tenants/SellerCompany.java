package tollgate.tenants;

import tollgate.parties.Company;

/**
 * The tenant's company as its invoices show it: the same details an account has (legal name, address, tax id,
 * billing e-mail), written inline, and where customers write with questions ({@code support_email}).
 */
public record SellerCompany(Company details, String supportEmail) {
    public static final SellerCompany NONE = new SellerCompany(Company.NONE, null);
}
