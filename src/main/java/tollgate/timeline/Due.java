package tollgate.timeline;

import java.time.Instant;

/** A timeline row that has fallen due and been claimed by this transaction. */
public record Due(long id, String tenantId, Instant dueAt, String kind, String ref, int attempts) {}
