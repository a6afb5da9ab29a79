package tollgate.api;

import java.util.ArrayList;
import java.util.List;
import tollgate.parties.Address;
import tollgate.parties.Company;

/** Reads a {@code company} object of a request body: an account's (the buyer) or the tenant's (the seller). */
final class CompanyFields {
    private CompanyFields() {}

    /** The company in {@code c} (null when absent); {@code extra} names further fields the caller reads itself. */
    static Company read(Body c, String... extra) {
        if (c == null) return null;
        List<String> allowed = new ArrayList<>(List.of("legal_name", "address", "tax_id", "billing_email"));
        allowed.addAll(List.of(extra));
        c.only(allowed.toArray(String[]::new));
        Body a = c.optObject("address");
        Address address = null;
        if (a != null) {
            a.only("line1", "line2", "city", "postal_code", "state", "country");
            address = new Address(a.optString("line1"), a.optString("line2"), a.optString("city"),
                    a.optString("postal_code"), a.optString("state"), a.optString("country"));
        }
        return new Company(c.optString("legal_name"), address, c.optString("tax_id"), c.optString("billing_email"));
    }
}
