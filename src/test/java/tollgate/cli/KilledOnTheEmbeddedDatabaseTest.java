package tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.ServerProcess;

/**
 * Decision 080: on the embedded default (H2's file), what was answered is on disk. A server is killed with SIGKILL the
 * moment it has answered a write, three times over: each restart finds every account it answered for. With H2's
 * half-second write delay the kill came before the commit reached the file, and the account was gone.
 */
class KilledOnTheEmbeddedDatabaseTest {
    private static final String KEY = "tg_test_killedkilledkilled1234";
    private static final Instant CLOCK = Instant.parse("2027-01-10T09:00:00Z");

    @TempDir
    Path tmp;

    @Test
    void everyAnsweredWriteSurvivesASigkillJustAfterItsAnswer() throws Exception {
        List<String> answered = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            try (ServerProcess server = ServerProcess.launch(null, CLOCK, tmp, "h2", Map.of("TOLLGATE_BOOTSTRAP_KEY", KEY),
                    ServerProcess.SMALL_JVM)) {
                ApiClient api = ApiClient.at(server.awaitListening(Duration.ofSeconds(60)), KEY);
                for (String id : answered)
                    assertThat(api.get("/v1/accounts/" + id).status()).as("account %s answered before a kill; %s", id, server.log).isEqualTo(200);
                Res opened = api.post("/v1/accounts", "{\"name\":\"Shop " + round + "\",\"email\":\"shop" + round + "@example.com\",\"currency\":\"usd\"}");
                assertThat(opened.status()).as(opened.text()).isEqualTo(200);
                server.kill();
                answered.add(opened.str("id"));
            }
        }
        try (ServerProcess server = ServerProcess.launch(null, CLOCK, tmp, "h2", Map.of("TOLLGATE_BOOTSTRAP_KEY", KEY), ServerProcess.SMALL_JVM)) {
            ApiClient api = ApiClient.at(server.awaitListening(Duration.ofSeconds(60)), KEY);
            for (String id : answered)
                assertThat(api.get("/v1/accounts/" + id).status()).as("account %s answered before a kill; %s", id, server.log).isEqualTo(200);
            assertThat(api.get("/v1/accounts?limit=10").json().get("data")).hasSize(3);
            assertThat(server.stop()).isZero();
        }
    }
}
