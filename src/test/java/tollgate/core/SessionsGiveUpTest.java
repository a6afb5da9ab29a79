package tollgate.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.TestDatabase;

/**
 * Decision 065: every PostgreSQL session of the pool asks the server to find a vanished peer within about two minutes
 * (keepalives: idle 60 s, a probe every 10 s, 6 unanswered) and to end a transaction left idle for 10 minutes, so a
 * node cut off or hung does not hold its rows; lz4 compression is still set. H2 has no such sessions.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class SessionsGiveUpTest {
    @Parameter
    TestDatabase database;

    @Test
    void everySessionOfThePoolGivesUpOnAVanishedPeerAndAnIdleTransaction() {
        try (Database db = Database.open(database.freshUrl(), null, null, 2)) {
            if (database == TestDatabase.H2) {
                assertThat(db.isHealthy()).isTrue();
                return;
            }
            // Both connections of the pool at once (outside the transaction, db.dsl() takes the other): the settings are
            // the pool's, not one session's.
            List<String> seen = db.tx(first -> List.of(settings(first), settings(db.dsl())));
            assertThat(seen).containsOnly("60 10 6 10min lz4");
        }
    }

    private static String settings(org.jooq.DSLContext tx) {
        return String.join(" ", show(tx, "tcp_keepalives_idle"), show(tx, "tcp_keepalives_interval"), show(tx, "tcp_keepalives_count"),
                show(tx, "idle_in_transaction_session_timeout"), show(tx, "default_toast_compression"));
    }

    private static String show(org.jooq.DSLContext tx, String name) {
        return tx.fetchOne("show " + name).get(0, String.class);
    }
}
