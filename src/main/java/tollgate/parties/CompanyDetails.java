package tollgate.parties;

import java.util.regex.Pattern;
import tollgate.core.Problem;

/**
 * The rules for company details as they appear on invoices, shared by accounts (the buyer) and tenants (the
 * seller), and the text and e-mail checks they are made of. Every mistake is a 422 naming its (dotted) field.
 */
public final class CompanyDetails {
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    /** ISO 3166-1 alpha-2 as the JDK knows it, and Kosovo's XK, which Stripe and the EU use too. */
    private static final java.util.Set<String> COUNTRIES = java.util.stream.Stream.concat(java.util.Arrays.stream(java.util.Locale.getISOCountries()),
            java.util.stream.Stream.of("XK")).collect(java.util.stream.Collectors.toUnmodifiableSet());

    private CompanyDetails() {}

    /**
     * Checks {@code company} whose fields are named {@code field.legal_name}, {@code field.address.country} …; answers it,
     * with an address of no parts as no address (as it reads back from the database).
     */
    public static Company checked(String field, Company c) {
        if (c.legalName() != null) requireText(field + ".legal_name", c.legalName(), 200);
        if (c.billingEmail() != null) requireEmail(field + ".billing_email", c.billingEmail());
        if (c.taxId() != null) requireText(field + ".tax_id", c.taxId(), 50);
        Address a = c.address();
        if (a != null) {
            String at = field + ".address.";
            optionalText(at + "line1", a.line1(), 200);
            optionalText(at + "line2", a.line2(), 200);
            optionalText(at + "city", a.city(), 100);
            optionalText(at + "postal_code", a.postalCode(), 20);
            optionalText(at + "state", a.state(), 100);
            if (a.country() != null && !(COUNTRY.matcher(a.country()).matches() && COUNTRIES.contains(a.country())))
                throw Problem.invalid(at + "country", "country_invalid", "country must be an ISO 3166-1 alpha-2 code such as 'DE'");
            if (a.line1() == null && a.line2() == null && a.city() == null && a.postalCode() == null && a.state() == null && a.country() == null)
                return new Company(c.legalName(), null, c.taxId(), c.billingEmail());
        }
        return c;
    }

    public static void requireText(String field, String value, int max) {
        if (value == null) throw Problem.missing(field);
        if (value.isBlank()) throw Problem.invalid(field, "parameter_invalid", "'" + field + "' must not be blank");
        if (value.length() > max) throw Problem.invalid(field, "parameter_invalid", "'" + field + "' is longer than " + max + " characters");
        requirePrintable(field, value);
    }

    public static void optionalText(String field, String value, int max) {
        if (value == null) return;
        if (value.length() > max)
            throw Problem.invalid(field, "parameter_invalid", "'" + field + "' is longer than " + max + " characters");
        requirePrintable(field, value);
    }

    private static void requirePrintable(String field, String value) {
        if (!tollgate.core.Printable.onOneLine(value))
            throw Problem.invalid(field, "parameter_invalid", "'" + field + "' holds a control or text-direction character; type it on one line, as it should print");
    }

    public static void requireEmail(String field, String value) {
        if (value == null) throw Problem.missing(field);
        if (!tollgate.core.EmailAddress.valid(value))
            throw Problem.invalid(field, "email_invalid", "'" + value + "' is not an e-mail address");
    }
}
