package tollgate.accounts;

import java.time.Instant;

/**
 * A person of an account who signs in to the portal. {@code owner} and {@code admin} may manage users and billing
 * ({@link #managesUsers}); a {@code member} may not. The password hash is Argon2id in PHC form (web/Passwords).
 */
public record PortalUser(String id, String accountId, String email, String name, Role role, String passwordHash,
                         boolean active, boolean emailVerified, Instant createdAt) {
    public enum Role {
        OWNER, ADMIN, MEMBER;

        public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }

        public static Role parse(String s) { return valueOf(s.toUpperCase(java.util.Locale.ROOT)); }
    }

    public boolean managesUsers() {
        return role == Role.OWNER || role == Role.ADMIN;
    }

    /** How an address is compared: e-mail addresses are case-insensitive in practice. */
    public static String emailKey(String email) {
        return email.strip().toLowerCase(java.util.Locale.ROOT);
    }
}
