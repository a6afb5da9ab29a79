package tollgate.timeline;

import java.util.List;
import tollgate.tenants.Ctx;

/**
 * A {@linkplain Job#staged staged} job of one {@link JobKind}, told one tenant's rows at a time: {@link #prepare} and
 * {@link #finish} in a transaction with the tenant's now, {@link #outside} in none. {@code P}: what one tenant's rows
 * were prepared into.
 */
public interface TenantStaged<R, P> {
    P prepare(Ctx ctx, List<R> refs);

    void outside(P prepared);

    /** {@code refs}: those of the prepared rows still pending, in the order they were claimed. */
    void finish(Ctx ctx, List<R> refs, P prepared);
}
