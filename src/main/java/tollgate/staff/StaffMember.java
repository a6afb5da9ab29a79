package tollgate.staff;

import java.time.Instant;

/**
 * A person of the seller who signs in to the console. The password hash is Argon2id in PHC form (web/Passwords);
 * {@code totpEnabled} says whether sign-in asks a two-factor code after the password.
 */
public record StaffMember(String id, String tenantId, String email, String name, StaffRole role, String passwordHash,
                          boolean active, boolean totpEnabled, Instant createdAt) {

    /** How an address is compared: e-mail addresses are case-insensitive in practice. */
    public static String emailKey(String email) {
        return email.strip().toLowerCase(java.util.Locale.ROOT);
    }
}
