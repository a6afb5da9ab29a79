package tollgate.invoicing;

import tollgate.accounts.Account;
import tollgate.parties.Address;
import tollgate.parties.Company;
import tollgate.tenants.TenantProfile;

/**
 * Who sells and who buys, as an invoice prints them: taken when it is issued and kept with it, so that a later
 * change of either company's details does not change an issued invoice (as Stripe keeps the customer's and the
 * account's details on a finalized invoice). {@code timezone} is the account's, for the dates.
 */
public record InvoiceParties(Party seller, Party buyer, String supportEmail, String timezone) {

    /** One side: the legal name (or the plain name), address, tax id and billing e-mail. */
    public record Party(String name, Address address, String taxId, String email) {}

    public static InvoiceParties of(TenantProfile seller, Account buyer) {
        Company s = seller.company().details();
        Company b = buyer.company();
        return new InvoiceParties(
                new Party(s.legalName() != null ? s.legalName() : seller.name(), s.address(), s.taxId(), s.billingEmail()),
                new Party(b.legalName() != null ? b.legalName() : buyer.name(), b.address(), b.taxId(),
                        b.billingEmail() != null ? b.billingEmail() : buyer.email()),
                seller.company().supportEmail(), buyer.timezone());
    }
}
