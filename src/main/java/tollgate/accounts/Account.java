package tollgate.accounts;

import java.time.Instant;

/**
 * One customer of the tenant. {@code currency} is lower-case ISO 4217, {@code timezone} an IANA zone id.
 * {@code balance} is in minor units of {@code currency}, signed as Stripe's customer balance: negative is credit the
 * account holds, which its next invoices consume before any card is charged (decision 021).
 */
public record Account(String id, String object, String name, String email, String currency, String timezone,
                      Company company, Instant createdAt, long balance) {
    public Account(String id, String name, String email, String currency, String timezone, Company company, Instant createdAt) {
        this(id, "account", name, email, currency, timezone, company, createdAt, 0);
    }
}
