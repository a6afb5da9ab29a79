package tollgate.core;

import org.jooq.DSLContext;

/**
 * Where a request with an {@code Idempotency-Key} whose work takes several transactions (it asks a gateway between them)
 * records the object it made first, in the transaction that makes it (decision 075): a retry that takes the key over
 * after a crash answers from that object instead of making another. {@link #NONE} for a call without a key.
 */
@FunctionalInterface
public interface RecoveryPoint {
    /**
     * Records {@code objectId} as made by this request, in {@code tx}; throws a {@link Problem} (409) when the request
     * no longer holds its key (a retry took it over), so that the transaction rolls back and nothing is made twice.
     */
    void reached(DSLContext tx, String objectId);

    RecoveryPoint NONE = (tx, objectId) -> {};
}
