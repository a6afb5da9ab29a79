package tollgate.licensing;

import java.util.Locale;

/** SPEC §3: unassigned → assigned (to one site) → unassigned …; revoked is final. */
public enum LicenseStatus {
    UNASSIGNED, ASSIGNED, REVOKED;

    public String wire() { return name().toLowerCase(Locale.ROOT); }

    public static LicenseStatus parse(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
