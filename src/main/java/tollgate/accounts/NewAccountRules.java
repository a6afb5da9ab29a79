package tollgate.accounts;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Set;
import tollgate.core.Currencies;
import tollgate.core.Ids;
import tollgate.core.Problem;
import tollgate.parties.Company;
import tollgate.parties.CompanyDetails;

/**
 * The rules for a new account: a known currency, an IANA time zone (default UTC), plausible e-mail addresses,
 * company details as {@link CompanyDetails} checks them.
 */
public final class NewAccountRules {
    private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();

    private NewAccountRules() {}

    public static Account open(String name, String email, String currency, String timezone, Company company,
                               java.util.Map<String, String> metadata, Instant now) {
        CompanyDetails.requireText("name", name, 200);
        CompanyDetails.requireEmail("email", email);
        String zone = timezone == null ? "UTC" : timezone;
        if (!isIanaZone(zone))
            throw Problem.invalid("timezone", "timezone_invalid", "'" + zone + "' is not an IANA time zone (e.g. Europe/Berlin)");
        Company details = company == null ? Company.NONE : CompanyDetails.checked("company", company);
        return new Account(Ids.next("acct"), name.strip(), email.strip(), Currencies.code(currency), zone, null, details,
                tollgate.core.Metadata.of(metadata, "metadata"), now, 0);
    }

    static boolean isIanaZone(String zone) {
        // Region ids only ("Europe/Berlin", "UTC"); offsets like "+02:00" are not time zones.
        return ZONES.contains(zone);
    }
}
