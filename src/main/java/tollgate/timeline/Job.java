package tollgate.timeline;

import org.jooq.DSLContext;

/**
 * One kind of future work. {@link #run} happens inside the transaction that claimed the row and marks it
 * done, so its effects and the row's completion commit together, exactly once.
 */
@FunctionalInterface
public interface Job {
    void run(DSLContext tx, Due due);
}
