package tollgate.audit;

import java.time.Instant;

/**
 * One line of the audit log: who (a staff member or an API key), did what ({@code action}, e.g.
 * {@code staff.role_changed}, {@code api.write}), to which object, when (the tenant's instant), and the object's
 * relevant fields before and after (small JSON objects, null where there is nothing to say).
 */
public record AuditEntry(String id, Instant at, Actor actor, String action, String objectType, String objectId,
                         String before, String after) {

    /** Who acted: {@code staff} (id, email) or {@code api_key} (id, its prefix), or {@code system}. */
    public record Actor(String type, String id, String label) {
        public static Actor staff(String staffId, String email) {
            return new Actor("staff", staffId, email);
        }

        public static Actor apiKey(String keyId, String label) {
            return new Actor("api_key", keyId, label);
        }
    }
}
