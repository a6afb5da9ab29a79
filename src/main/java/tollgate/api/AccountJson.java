package tollgate.api;

import java.time.Instant;
import java.util.Map;
import tollgate.accounts.Account;
import tollgate.parties.Company;

/** An account as the API shows it (openapi fragment {@code accounts}). */
public record AccountJson(String id, String object, String name, String email, String currency, String timezone,
                          String pendingTimezone, Company company, Map<String, String> metadata, Instant createdAt, long balance) {
    static AccountJson of(Account a) {
        return new AccountJson(a.id(), "account", a.name(), a.email(), a.currency(), a.timezone(), a.pendingTimezone(), a.company(),
                a.metadata(), a.createdAt(), a.balance());
    }
}
