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

    /**
     * Rows of this kind run in three steps when claimed in a batch (decision 043), so that a slow call outside
     * (a gateway) is made in no transaction and under no lock: {@link Staged#prepare} in the claiming transaction, which
     * commits what it wrote (a charge's write-ahead attempt) and leaves the rows pending, leased for
     * {@link Timeline#LEASE}; then {@link Staged#outside}; then {@link Staged#finish} in a new transaction with the rows
     * still pending locked again and marked done there. Null (the default): the rows run in one transaction.
     * A row claimed alone (a retry) runs with {@link #run}, in one transaction, which must be able to take up what an
     * interrupted staged run left.
     */
    default Staged<?> staged() {
        return null;
    }

    /** The three steps of a staged job; {@code P} is what the first hands to the two others. */
    interface Staged<P> {
        P prepare(DSLContext tx, java.util.List<Due> dues);

        void outside(P prepared);

        /** {@code dues}: those of the prepared rows still pending (another worker may have run some after the lease). */
        void finish(DSLContext tx, java.util.List<Due> dues, P prepared);
    }

    /**
     * What follows when a row of this kind is left {@code dead} after its last failed run, in the transaction that
     * marks it dead (and without it, should this fail too: the row dies either way). A job whose failure would leave
     * something half done for good says here how it is taken up again (a charge's undecided attempt is asked about
     * later); by default nothing follows.
     */
    default void onDead(DSLContext tx, Due due) {}

    /** {@code run}, followed by {@code onDead} when one of its rows dies. */
    static Job withOnDead(Job run, Job onDead) {
        return new Job() {
            @Override
            public void run(DSLContext tx, Due due) {
                run.run(tx, due);
            }

            @Override
            public void onDead(DSLContext tx, Due due) {
                onDead.run(tx, due);
            }
        };
    }
}
