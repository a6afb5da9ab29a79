package tollgate.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.TestDatabase;

/**
 * {@link Database#afterCommit} (decision 070): an action waits for the commit of the transaction running on its thread
 * — the whole {@link Database#inOne}, or a {@link Database#tx} of its own — and then sees the change from another
 * connection; it never runs when that transaction rolls back, a part rolled back takes its own back, and with no
 * transaction running it runs at once.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class AfterCommitTest {
    @Parameter
    TestDatabase database;
    Database db;
    final List<String> ran = new ArrayList<>();

    @BeforeEach
    void open() {
        db = Database.open(database.freshUrl(), null, null, 3);
        db.dsl().execute("create table notes (what varchar(40) primary key)");
    }

    @AfterEach
    void close() {
        db.close();
    }

    /** An action that records what another connection sees of the notes when it runs. */
    private Runnable seeing(String name) {
        return () -> {
            List<String> seen = new ArrayList<>();
            // Outside any transaction of this thread: a connection of its own, which sees committed rows only.
            Thread t = Thread.ofVirtual().start(() -> seen.addAll(db.dsl().fetch("select what from notes order by what").getValues(0, String.class)));
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            ran.add(name + " saw " + seen);
        };
    }

    private static void note(org.jooq.DSLContext tx, String what) {
        tx.execute("insert into notes (what) values (?)", what);
    }

    @Test
    void withNoTransactionItRunsAtOnce() {
        db.afterCommit(seeing("alone"));
        assertThat(ran).containsExactly("alone saw []");
    }

    @Test
    void inATransactionOfItsOwnItRunsAfterThatCommit() {
        db.tx(tx -> {
            note(tx, "a");
            db.afterCommit(seeing("after tx"));
            assertThat(ran).isEmpty();
            return null;
        });
        assertThat(ran).containsExactly("after tx saw [a]");
    }

    @Test
    void inTheOneTransactionItWaitsForTheWholeNotTheServicesPart() {
        db.inOne(tx -> {
            db.tx(part -> {
                note(part, "a");
                return null;
            });
            // What a service does after its own tx returned: inside the one transaction, nothing has committed yet.
            db.afterCommit(seeing("service"));
            note(tx, "b");
            assertThat(ran).isEmpty();
            return null;
        });
        assertThat(ran).containsExactly("service saw [a, b]");
    }

    @Test
    void aRolledBackTransactionRunsNone() {
        assertThatThrownBy(() -> db.inOne(tx -> {
            note(tx, "a");
            db.afterCommit(seeing("never"));
            throw new IllegalArgumentException("refused");
        })).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> db.tx(tx -> {
            db.afterCommit(seeing("never either"));
            throw new IllegalArgumentException("refused");
        })).isInstanceOf(IllegalArgumentException.class);
        assertThat(ran).isEmpty();
    }

    @Test
    void anActionThatFailsIsLoggedAndTheOthersStillRun() {
        String answer = db.tx(tx -> {
            note(tx, "a");
            db.afterCommit(() -> {
                throw new IllegalStateException("a cache that cannot be reached");
            });
            db.afterCommit(seeing("next"));
            return "committed";
        });
        assertThat(answer).isEqualTo("committed");
        assertThat(ran).containsExactly("next saw [a]");
    }

    @Test
    void aPartRolledBackTakesItsOwnBackAndTheOthersRun() {
        db.inOne(tx -> db.tx(outer -> {
            note(outer, "kept");
            db.afterCommit(seeing("kept"));
            try {
                db.tx(inner -> {
                    note(inner, "gone");
                    db.afterCommit(seeing("gone"));
                    throw new IllegalArgumentException("this part only");
                });
            } catch (IllegalArgumentException expected) {
                // the inner part is a savepoint: rolled back alone
            }
            return null;
        }));
        assertThat(ran).containsExactly("kept saw [kept]");
    }
}
