package tollgate.web;

import java.time.Instant;

/** A signed-in browser: whose it is, its CSRF token, and when it began and was last used (for the timeouts). */
public record WebSession(String idHash, String audience, String tenantId, String userId, String csrfToken,
                         Instant createdAt, Instant lastSeenAt) {}
