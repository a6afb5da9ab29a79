package tollgate.staff;

import java.time.Instant;

/** An owner's invitation of a person to the console, open until accepted, replaced or expired (7 days). */
public record StaffInvitation(String id, String email, StaffRole role, String invitedBy, Instant createdAt, Instant expiresAt) {}
