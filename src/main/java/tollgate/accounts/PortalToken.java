package tollgate.accounts;

import java.time.Instant;

/**
 * A single-use link of the portal (V20): an invitation, an email verification, a password reset or a portal session
 * opened by the seller's app. Only the SHA-256 of the link's token is stored.
 */
public record PortalToken(String id, String tokenHash, Purpose purpose, String accountId, String userId, String email,
                          PortalUser.Role role, String invitedBy, String returnUrl, Instant createdAt, Instant expiresAt,
                          Instant usedAt) {
    public enum Purpose {
        INVITATION, VERIFICATION, RESET, SESSION;

        public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }

        public static Purpose parse(String s) { return valueOf(s.toUpperCase(java.util.Locale.ROOT)); }
    }

    /** Whether the link still opens at {@code now}: not used, not expired. */
    public boolean open(Instant now) {
        return usedAt == null && now.isBefore(expiresAt);
    }
}
