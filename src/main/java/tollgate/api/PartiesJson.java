package tollgate.api;

import tollgate.parties.Address;
import tollgate.parties.Company;

/** A buyer's or seller's company details and address as the API shows them, inside an account, a tenant or a seller. */
final class PartiesJson {
    private PartiesJson() {}

    public record CompanyJson(String legalName, Address address, String taxId, String billingEmail) {
        static CompanyJson of(Company c) {
            return new CompanyJson(c.legalName(), c.address(), c.taxId(), c.billingEmail());
        }
    }

    public record AddressJson(String line1, String line2, String city, String postalCode, String state, String country) {
        static AddressJson of(Address a) {
            return new AddressJson(a.line1(), a.line2(), a.city(), a.postalCode(), a.state(), a.country());
        }
    }
}
