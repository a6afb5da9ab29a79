package tollgate.accounts;

import java.time.Instant;

/**
 * What other capabilities ask of an account before they act on it: its currency, its blocks, the state dunning
 * left its services in ({@code active}, {@code suspended}, {@code canceled}) and the data deletion it scheduled.
 */
public record Standing(String currency, String timezone, boolean licensesBlocked, String services, Instant dataDeletedAt,
                       Instant backupsPurgeAt) {}
