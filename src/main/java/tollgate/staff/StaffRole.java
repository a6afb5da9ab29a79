package tollgate.staff;

import java.util.Locale;

/**
 * What a staff member of the console may do (issue 14): {@code owner} everything, staff included; {@code admin}
 * everything but staff; {@code support} acts on accounts (payments, credits, dunning) but changes neither the catalog
 * nor keys nor settings; {@code read_only} sees and changes nothing.
 */
public enum StaffRole {
    OWNER, ADMIN, SUPPORT, READ_ONLY;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role a form or the CLI names ("read_only"); empty when it names none. */
    public static java.util.Optional<StaffRole> parse(String s) {
        if (s == null) return java.util.Optional.empty();
        for (StaffRole r : values()) if (r.wire().equals(s.strip().toLowerCase(Locale.ROOT))) return java.util.Optional.of(r);
        return java.util.Optional.empty();
    }

    /** How the console writes the role ("Read only"). */
    public String label() {
        return switch (this) {
            case OWNER -> "Owner";
            case ADMIN -> "Admin";
            case SUPPORT -> "Support";
            case READ_ONLY -> "Read only";
        };
    }

    /** Records payments, retries charges, credits, pauses dunning, changes subscriptions. */
    public boolean actsOnAccounts() {
        return this != READ_ONLY;
    }

    /** Plans, coupons, dunning policies. */
    public boolean changesCatalog() {
        return this == OWNER || this == ADMIN;
    }

    /** Company details, branding, API keys, webhooks, email settings, the test clock; reads the audit log. */
    public boolean changesSettings() {
        return this == OWNER || this == ADMIN;
    }

    /** Invites, deactivates and changes the role of staff. */
    public boolean managesStaff() {
        return this == OWNER;
    }
}
