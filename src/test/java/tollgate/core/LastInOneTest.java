package tollgate.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.TestDatabase;

/**
 * {@link Database#last} (decision 058): inside {@link Database#inOne} the statement runs after all the work, before the
 * commit; a part within a part that rolled back takes its own back, an outermost part that failed takes the whole back
 * (decision 066); outside it runs nothing and says so.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class LastInOneTest {
    @Parameter
    TestDatabase database;
    Database db;

    @BeforeEach
    void open() {
        db = Database.open(database.freshUrl(), null, null, 2);
        db.dsl().execute("create table steps (n integer primary key, what varchar(40))");
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static void step(org.jooq.DSLContext tx, String what) {
        tx.execute("insert into steps (n, what) values ((select count(*) from steps) + 1, ?)", what);
    }

    private List<String> steps() {
        return db.dsl().fetch("select what from steps order by n").getValues(0, String.class);
    }

    @Test
    void runsAfterTheWorkAndBeforeTheCommitInTheSameTransaction() {
        db.inOne(tx -> {
            db.tx(part -> {
                step(part, "part");
                assertThat(db.last(end -> step(end, "last"))).isTrue();
                return null;
            });
            step(tx, "after the part");
            return null;
        });
        assertThat(steps()).containsExactly("part", "after the part", "last");
    }

    @Test
    void aPartWithinAPartRolledBackTakesItsOwnBackAndTheOthersStay() {
        db.inOne(tx -> db.tx(outer -> {
            db.last(end -> step(end, "kept"));
            try {
                db.tx(part -> {
                    step(part, "rolled back");
                    db.last(end -> step(end, "taken back"));
                    throw Problem.conflict("refused", "a refusal inside the part");
                });
            } catch (Problem expected) {
                // the inner part's writes and its last statement are gone (its savepoint); the rest goes on
            }
            step(outer, "work");
            return null;
        }));
        assertThat(steps()).containsExactly("work", "kept");
    }

    @Test
    void anOutermostPartThatFailedRollsTheWholeBackEvenWhenTheWorkGoesOn() {
        // Decision 066: an outermost part has no savepoint of its own, so its failure cannot be taken back alone.
        assertThatThrownBy(() -> db.inOne(tx -> {
            step(tx, "before");
            db.last(end -> step(end, "never"));
            try {
                db.tx(part -> {
                    step(part, "rolled back");
                    throw Problem.conflict("refused", "a refusal inside the part");
                });
            } catch (Problem swallowed) {
                // the work goes on as if the part had not failed
            }
            step(tx, "after");
            return null;
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("a part of the one transaction failed");
        assertThat(steps()).isEmpty();
        // The doomed mark does not outlive its transaction.
        db.inOne(tx -> db.tx(part -> {
            step(part, "next");
            return null;
        }));
        assertThat(steps()).containsExactly("next");
    }

    @Test
    void aFailingLastStatementRollsTheWholeBack() {
        assertThatThrownBy(() -> db.inOne(tx -> {
            step(tx, "work");
            db.last(end -> {
                throw new IllegalStateException("the last statement failed");
            });
            return null;
        })).hasMessageContaining("the last statement failed");
        assertThat(steps()).isEmpty();
        // Nothing is left over for the next transaction on this thread.
        db.inOne(tx -> {
            step(tx, "next");
            return null;
        });
        assertThat(steps()).containsExactly("next");
    }

    @Test
    void outsideOneTransactionNothingIsDeferred() {
        boolean deferred = db.tx(tx -> db.last(end -> step(end, "never")));
        assertThat(deferred).isFalse();
        db.inOne(tx -> null);
        assertThat(steps()).isEmpty();
    }
}
