package tollgate.accounts;

import java.time.Instant;
import java.util.Map;
import tollgate.parties.Company;

/**
 * One customer of the tenant. {@code currency} is lower-case ISO 4217, {@code timezone} an IANA zone id,
 * {@code metadata} the tenant's own key/values ({@link tollgate.core.Metadata}). {@code balance} is in minor units of
 * {@code currency}, signed as Stripe's customer balance: negative is credit the account holds, which its next invoices
 * consume before any card is charged (decision 021).
 */
public record Account(String id, String name, String email, String currency, String timezone,
                      String pendingTimezone, Company company, Map<String, String> metadata, Instant createdAt, long balance) {
    public Account(String id, String name, String email, String currency, String timezone, Company company, Instant createdAt) {
        this(id, name, email, currency, timezone, null, company, Map.of(), createdAt, 0);
    }

    public Account {
        metadata = metadata == null ? Map.of() : metadata;
    }

    /** The same account with other details (what {@link AccountChangeRules} allows to change). */
    public Account with(String newName, String newEmail, String newTimezone, Company newCompany, Map<String, String> newMetadata) {
        return new Account(id, newName, newEmail, currency, newTimezone, pendingTimezone, newCompany, newMetadata, createdAt,
                balance);
    }

    /** The same new account, opened at {@code at}. */
    public Account openedAt(Instant at) {
        return new Account(id, name, email, currency, timezone, pendingTimezone, company, metadata, at, balance);
    }

    /** The zone in effect and the one waiting for the license month in progress to close (null: none waits). */
    public Account withZones(String inEffect, String pending) {
        return new Account(id, name, email, currency, inEffect, pending, company, metadata, createdAt, balance);
    }
}
