package tollgate.accounts;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Set;
import java.util.regex.Pattern;
import tollgate.core.Currencies;
import tollgate.core.Ids;
import tollgate.core.Problem;

/** The rules for a new account: a known currency, an IANA time zone (default UTC), plausible e-mail addresses. */
public final class OpeningAccount {
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();

    private OpeningAccount() {}

    public static Account open(String name, String email, String currency, String timezone, Company company, Instant now) {
        requireText("name", name, 200);
        requireEmail("email", email);
        String zone = timezone == null ? "UTC" : timezone;
        if (!isIanaZone(zone))
            throw Problem.invalid("timezone", "timezone_invalid", "'" + zone + "' is not an IANA time zone (e.g. Europe/Berlin)");
        Company details = company == null ? Company.NONE : checked(company);
        return new Account(Ids.next("acct"), name.strip(), email.strip(), Currencies.code(currency), zone, details, now);
    }

    static boolean isIanaZone(String zone) {
        // Region ids only ("Europe/Berlin", "UTC"); offsets like "+02:00" are not time zones.
        return ZONES.contains(zone);
    }

    private static Company checked(Company c) {
        if (c.legalName() != null) requireText("company.legal_name", c.legalName(), 200);
        if (c.billingEmail() != null) requireEmail("company.billing_email", c.billingEmail());
        if (c.taxId() != null) requireText("company.tax_id", c.taxId(), 50);
        Address a = c.address();
        if (a != null) {
            optionalText("company.address.line1", a.line1(), 200);
            optionalText("company.address.line2", a.line2(), 200);
            optionalText("company.address.city", a.city(), 100);
            optionalText("company.address.postal_code", a.postalCode(), 20);
            optionalText("company.address.state", a.state(), 100);
            if (a.country() != null && !COUNTRY.matcher(a.country()).matches())
                throw Problem.invalid("company.address.country", "country_invalid", "country must be an ISO 3166-1 alpha-2 code such as 'DE'");
        }
        return c;
    }

    private static void requireText(String field, String value, int max) {
        if (value == null) throw Problem.missing(field);
        if (value.isBlank()) throw Problem.invalid(field, "parameter_invalid", "'" + field + "' must not be blank");
        if (value.length() > max) throw Problem.invalid(field, "parameter_invalid", "'" + field + "' is longer than " + max + " characters");
    }

    private static void optionalText(String field, String value, int max) {
        if (value != null && value.length() > max)
            throw Problem.invalid(field, "parameter_invalid", "'" + field + "' is longer than " + max + " characters");
    }

    private static void requireEmail(String field, String value) {
        if (value == null) throw Problem.missing(field);
        if (value.length() > 320 || !EMAIL.matcher(value.strip()).matches())
            throw Problem.invalid(field, "email_invalid", "'" + value + "' is not an e-mail address");
    }
}
