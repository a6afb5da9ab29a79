package tollgate.parties;

/** The customer's company details as they appear on invoices. Every part is optional. */
public record Company(String legalName, Address address, String taxId, String billingEmail) {
    public static final Company NONE = new Company(null, null, null, null);
}
