package tollgate.timeline;

import org.jooq.DSLContext;

/**
 * One kind of future work. {@link #run} happens inside the transaction that claimed the row and marks it
 * done, so its effects and the row's completion commit together, exactly once.
 */
@FunctionalInterface
public interface Job {
    void run(DSLContext tx, Due due);

    /**
     * Runs several due rows of this kind in one transaction (the test clock's batches of rows due at one
     * instant). Jobs that can do set-based work (the billing run) override it; by default one by one.
     */
    default void runAll(DSLContext tx, java.util.List<Due> dues) {
        for (Due due : dues) run(tx, due);
    }

    /**
     * Whether the rows of this kind due at one instant may run in batches side by side, in no particular order (the
     * billing run's: a row per account, each on its own account). By default they may not: the test clock runs them
     * in the order they were scheduled, one batch after another, as an invoice's dunning steps of one day need.
     */
    default boolean parallel() {
        return false;
    }
}
