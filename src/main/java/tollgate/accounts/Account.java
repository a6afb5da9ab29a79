package tollgate.accounts;

import java.time.Instant;

/** One customer of the tenant. {@code currency} is lower-case ISO 4217, {@code timezone} an IANA zone id. */
public record Account(String id, String object, String name, String email, String currency, String timezone,
                      Company company, Instant createdAt) {
    public Account(String id, String name, String email, String currency, String timezone, Company company, Instant createdAt) {
        this(id, "account", name, email, currency, timezone, company, createdAt);
    }
}
