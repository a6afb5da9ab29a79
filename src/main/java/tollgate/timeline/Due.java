package tollgate.timeline;

import java.time.Instant;

/**
 * A timeline row that has fallen due and been claimed by this transaction. {@code dueAt} is the instant the work is
 * for and never changes; {@code runAt} is when the row may run: {@code dueAt}, later after a failure (backoff).
 */
public record Due(long id, String tenantId, Instant dueAt, Instant runAt, String kind, String ref, int attempts) {}
