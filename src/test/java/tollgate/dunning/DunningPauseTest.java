package tollgate.dunning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.core.Problem;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.Fixtures;
import tollgate.testing.Scenario;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * Pausing dunning until a date (grace, decision 049), played with the test clock. A $25.00 hosting plan is bought on
 * January 1, 2030 at 10:00 UTC with a card that declines: hosting_default would retry and email on January 4, suspend
 * on January 9 and cancel on January 16. On January 2 support pauses dunning until January 10: nothing happens until
 * then; on January 10 the day-3 steps run, the day-8 ones on January 15, the day-15 ones on January 22.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class DunningPauseTest {
    private static final Instant DAY_0 = Instant.parse("2030-01-01T10:00:00Z");

    @Parameter
    TestDatabase database;
    ApiClient api;
    TestServer server;

    private void advance(String to) {
        Res r = api.post("/v1/test_clock/advance", "{\"to\":\"" + to + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }

    private String ok(Res r) {
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.str("id");
    }

    /** An account in dunning since January 1, 10:00 UTC; answers its id and the invoice's. */
    private String[] inDunning() {
        server = TestServer.on(database);
        api = Scenario.tenantAt(server, DAY_0.minusSeconds(3600));
        String hosting = ok(api.post("/v1/plans", "{\"name\":\"Hosting\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":2500}"));
        String account = api.newAccount("Shop", "usd", "UTC");
        Fixtures.attachCard(api, account, "tok_chargeDeclinedInsufficientFunds");
        advance(DAY_0.toString());
        ok(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + hosting + "\"}"));
        advance(DAY_0.toString());
        String invoice = api.get("/v1/accounts/" + account + "/invoices").json().at("/data/0/id").asText();
        return new String[] {account, invoice};
    }

    private List<String> upcoming(String account) {
        List<String> out = new ArrayList<>();
        for (JsonNode u : api.get("/v1/accounts/" + account + "/dunning").json().at("/upcoming"))
            out.add(u.at("/due_at").asText() + " " + u.at("/action").asText());
        return out;
    }

    private List<String> stepsRun(String account) {
        List<String> out = new ArrayList<>();
        for (JsonNode u : api.get("/v1/accounts/" + account + "/dunning").json().at("/past"))
            out.add(u.at("/ran_at").asText() + " " + u.at("/action").asText());
        return out;
    }

    @Test
    void stepsInsideThePauseWaitForItsDayThenThePolicyGoesOnWithItsGapsKept() {
        String[] s = inDunning();
        String account = s[0];
        String invoice = s[1];
        advance("2030-01-02T15:00:00Z");
        DunningPause pause = server.app.dunning.pause(api.tenant, account, LocalDate.parse("2030-01-10"));
        assertThat(pause).isEqualTo(new DunningPause(Instant.parse("2030-01-02T15:00:00Z"), LocalDate.parse("2030-01-10"), null));
        assertThat(upcoming(account)).containsExactly(
                "2030-01-10T10:00:00Z retry_payment", "2030-01-10T10:00:00Z notify",
                "2030-01-15T10:00:00Z retry_payment", "2030-01-15T10:00:00Z notify", "2030-01-15T10:00:00Z suspend_services",
                "2030-01-22T10:00:00Z retry_payment", "2030-01-22T10:00:00Z cancel_services", "2030-01-22T10:00:00Z schedule_data_deletion");
        assertThat(api.get("/v1/invoices/" + invoice).json().at("/next_payment_attempt").asText()).isEqualTo("2030-01-10T10:00:00Z");
        assertThat(server.app.dunning.pauseOf(api.tenant, account)).contains(pause);
        JsonNode events = api.get("/v1/events?type=account.dunning_paused").json().at("/data");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).at("/data/resume_on").asText()).isEqualTo("2030-01-10");

        // Through January 9: nothing retried, emailed, blocked or suspended.
        advance("2030-01-09T23:59:00Z");
        assertThat(stepsRun(account)).containsExactly("2030-01-01T10:00:00Z notify");
        assertThat(api.get("/v1/invoices/" + invoice + "/payment_attempts").json().at("/data")).hasSize(1);
        assertThat(api.get("/v1/accounts/" + account + "/entitlements").json().at("/services").asText()).isEqualTo("active");
        assertThat(api.get("/v1/accounts/" + account + "/notifications").json().at("/data").findValuesAsText("template"))
                .containsExactlyInAnyOrder("invoice_issued", "payment_failed_1");

        advance("2030-01-10T10:00:00Z");
        assertThat(stepsRun(account)).containsExactly("2030-01-01T10:00:00Z notify", "2030-01-10T10:00:00Z retry_payment",
                "2030-01-10T10:00:00Z notify");
        assertThat(api.get("/v1/invoices/" + invoice + "/payment_attempts").json().at("/data")).hasSize(2);
        assertThat(server.app.dunning.pauseOf(api.tenant, account)).isEmpty();

        advance("2030-01-14T23:00:00Z");
        assertThat(api.get("/v1/accounts/" + account + "/entitlements").json().at("/services").asText()).isEqualTo("active");
        advance("2030-01-15T10:00:00Z");
        assertThat(api.get("/v1/accounts/" + account + "/entitlements").json().at("/services").asText()).isEqualTo("suspended");
        assertThat(upcoming(account)).containsExactly("2030-01-22T10:00:00Z retry_payment", "2030-01-22T10:00:00Z cancel_services",
                "2030-01-22T10:00:00Z schedule_data_deletion");
    }

    @Test
    void aPaymentLiftsThePauseAndALaterFailureIsNotHeld() {
        String[] s = inDunning();
        String account = s[0];
        advance("2030-01-02T15:00:00Z");
        server.app.dunning.pause(api.tenant, account, LocalDate.parse("2030-02-20"));
        ok(api.post("/v1/invoices/" + s[1] + "/record_payment", "{\"amount\":2500,\"method\":\"wire\",\"reference\":\"W-1\"}"));
        assertThat(server.app.dunning.pauseOf(api.tenant, account)).isEmpty();
        // February 1: the renewal fails and its dunning starts at once, on its own dates.
        advance("2030-02-01T10:00:00Z");
        assertThat(upcoming(account).getFirst()).isEqualTo("2030-02-04T10:00:00Z retry_payment");
    }

    @Test
    void aDayThatIsNotAfterTodayOrMoreThan90DaysAwayOrEarlierThanTheStandingPauseIsRefused() {
        String[] s = inDunning();
        String account = s[0];
        advance("2030-01-02T15:00:00Z");
        assertThatThrownBy(() -> server.app.dunning.pause(api.tenant, account, LocalDate.parse("2030-01-02")))
                .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.code()).isEqualTo("resume_on_not_future"));
        assertThatThrownBy(() -> server.app.dunning.pause(api.tenant, account, LocalDate.parse("2030-04-03")))
                .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.code()).isEqualTo("resume_on_too_far"));
        server.app.dunning.pause(api.tenant, account, LocalDate.parse("2030-04-02"));
        assertThatThrownBy(() -> server.app.dunning.pause(api.tenant, account, LocalDate.parse("2030-03-01")))
                .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.code()).isEqualTo("already_paused"));
        assertThatThrownBy(() -> server.app.dunning.pause(api.tenant, "acct_nope", LocalDate.parse("2030-03-01")))
                .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.status()).isEqualTo(404));
    }
}
