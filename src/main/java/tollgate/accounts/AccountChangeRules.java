package tollgate.accounts;

import java.util.Map;
import tollgate.core.Metadata;
import tollgate.core.Problem;
import tollgate.parties.Company;
import tollgate.parties.CompanyDetails;

/**
 * The rules for changing an account ({@code POST /v1/accounts/{id}}): each field given replaces the old one, checked
 * as when the account was opened; {@code company} replaces the whole object; {@code metadata} merges. The currency
 * never changes: invoices and prices are in it.
 */
public final class AccountChangeRules {
    /** What a caller asked to change; null fields stay as they are. */
    public record Changes(String name, String email, String timezone, Company company, Map<String, String> metadata) {}

    private AccountChangeRules() {}

    public static Account changed(Account account, Changes c) {
        String name = account.name();
        if (c.name() != null) {
            CompanyDetails.requireText("name", c.name(), 200);
            name = c.name().strip();
        }
        String email = account.email();
        if (c.email() != null) {
            CompanyDetails.requireEmail("email", c.email());
            email = c.email().strip();
        }
        String zone = account.timezone();
        if (c.timezone() != null) {
            if (!NewAccountRules.isIanaZone(c.timezone()))
                throw Problem.invalid("timezone", "timezone_invalid", "'" + c.timezone() + "' is not an IANA time zone (e.g. Europe/Berlin)");
            zone = c.timezone();
        }
        Company company = c.company() == null ? account.company() : CompanyDetails.checked("company", c.company());
        return account.with(name, email, zone, company, Metadata.merged(account.metadata(), c.metadata(), "metadata"));
    }
}
