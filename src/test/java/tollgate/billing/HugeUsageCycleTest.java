package tollgate.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.Fixtures;
import tollgate.testing.Scenario;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * A usage cycle has no cap (it sums any number of events of up to 10^12 units each), so it may cost more than one
 * invoice line carries (10^14 minor units) or even sum past a {@code long}. Such a cycle is not billed and not
 * lost: the account's other charges are billed, its billing run never fails (a failing run would go dead and the
 * account would never be billed again), and the account's billing runs again every day until the usage is corrected.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class HugeUsageCycleTest {
    static final Instant SIGNUP = Instant.parse("2030-03-05T10:00:00Z");
    static final Instant CYCLE_END = Instant.parse("2030-04-05T10:00:00Z");

    @Parameter
    TestDatabase database;
    TestServer server;
    ApiClient api;
    String account;
    String usage;

    @BeforeEach
    void meteredAccount() {
        server = TestServer.on(database);
        api = Scenario.tenantAt(server, SIGNUP);
        account = Fixtures.payingAccount(api, "Metered", "usd");
        String flat = Fixtures.flatPlan(api, "usd");
        String metered = api.post("/v1/plans", "{\"name\":\"Bandwidth\",\"type\":\"usage\",\"currency\":\"usd\",\"unit_amount\":10000000}")
                .str("id");
        assertThat(subscribe(flat).status()).isEqualTo(200);
        Res sub = subscribe(metered);
        assertThat(sub.status()).isEqualTo(200);
        usage = sub.str("id");
    }

    private Res subscribe(String plan) {
        return api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\"}");
    }

    private void advance(Instant to) {
        Res r = api.post("/v1/test_clock/advance", "{\"to\":\"" + to + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }

    private void report(String id, long quantity) {
        Res r = api.post("/v1/usage_events", "{\"id\":\"" + id + "\",\"subscription\":\"" + usage + "\",\"quantity\":" + quantity + "}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }

    private JsonNode invoices() {
        return api.get("/v1/accounts/" + account + "/invoices").json().get("data");
    }

    private int deadRows() {
        return server.app.db.dsl().fetchOne("select count(*) from timeline where tenant_id = ? and state = 'dead'", api.tenant.id())
                .get(0, Integer.class);
    }

    private boolean billingPendingAt(Instant at) {
        return server.app.db.dsl().fetchOne("select count(*) from timeline where tenant_id = ? and kind = 'billing.run' and ref = ? "
                + "and due_at = ? and state = 'pending'", api.tenant.id(), account, at).get(0, Integer.class) == 1;
    }

    /** What an operator does: the wrong events replaced by the right quantity. */
    private void correctUsageTo(long quantity) {
        server.app.db.dsl().execute("update usage_events set quantity = ? where subscription_id = ?", quantity, usage);
        server.app.db.dsl().execute("delete from usage_events where subscription_id = ? and id <> 'big-1'", usage);
    }

    @Test
    void aCycleCostingMoreThanALineCarriesIsLeftOpenWhileTheRestIsBilledAndIsBilledOnceCorrected() {
        // 10^12 units at 10^7 each: 10^19, past a long.
        report("big-1", 1_000_000_000_000L);
        advance(CYCLE_END.plusSeconds(3600));

        JsonNode all = invoices();
        assertThat(all).hasSize(2);
        assertThat(all.at("/0/billing_date").asText()).isEqualTo(CYCLE_END.toString());
        assertThat(all.get(0).get("lines")).extracting(l -> l.get("kind").asText()).containsExactly("subscription");
        assertThat(deadRows()).isZero();
        assertThat(billingPendingAt(CYCLE_END.plusSeconds(86_400))).isTrue();
        JsonNode open = api.get("/v1/subscriptions/" + usage).json();
        assertThat(open.get("current_period_end").asText()).isEqualTo(CYCLE_END.toString());

        // Each day it is tried again, until the usage is right.
        advance(CYCLE_END.plusSeconds(2 * 86_400 + 3600));
        assertThat(invoices()).hasSize(2);
        assertThat(billingPendingAt(CYCLE_END.plusSeconds(3 * 86_400))).isTrue();
        correctUsageTo(5);
        report("late-1", 7); // after the cycle's end: counts in the next cycle
        advance(CYCLE_END.plusSeconds(3 * 86_400 + 3600));

        all = invoices();
        assertThat(all).hasSize(3);
        JsonNode line = all.at("/0/lines/0");
        assertThat(line.get("kind").asText()).isEqualTo("usage");
        assertThat(line.get("quantity").asLong()).isEqualTo(5);
        assertThat(line.get("amount").asLong()).isEqualTo(50_000_000);
        assertThat(line.get("period_end").asText()).isEqualTo(CYCLE_END.toString());
        JsonNode next = api.get("/v1/subscriptions/" + usage).json();
        assertThat(next.get("current_period_start").asText()).isEqualTo(CYCLE_END.toString());
        assertThat(next.get("current_period_end").asText()).isEqualTo("2030-05-05T10:00:00Z");
        assertThat(deadRows()).isZero();

        // The next cycle, with the event reported while the last one was still open, is billed at its own end.
        advance(Instant.parse("2030-05-05T11:00:00Z"));
        all = invoices();
        assertThat(all).hasSize(4);
        assertThat(all.at("/0/billing_date").asText()).isEqualTo("2030-05-05T10:00:00Z");
        JsonNode nextUsage = all.at("/0/lines/1");
        assertThat(nextUsage.get("kind").asText()).isEqualTo("usage");
        assertThat(nextUsage.get("quantity").asLong()).isEqualTo(7);
        assertThat(nextUsage.get("period_start").asText()).isEqualTo(CYCLE_END.toString());
    }

    @Test
    void cancelingWithAnUnbillableCycleCancelsAndTheCycleIsBilledOnceCorrected() {
        report("big-1", 1_000_000_000_000L);
        advance(SIGNUP.plusSeconds(86_400));

        Res canceled = api.post("/v1/subscriptions/" + usage + "/cancel", null);
        assertThat(canceled.status()).as(canceled.text()).isEqualTo(200);
        assertThat(canceled.str("status")).isEqualTo("canceled");
        assertThat(invoices()).hasSize(1);

        correctUsageTo(3);
        advance(SIGNUP.plusSeconds(2 * 86_400 + 60));
        JsonNode all = invoices();
        assertThat(all).hasSize(2);
        assertThat(all.at("/0/lines/0/quantity").asLong()).isEqualTo(3);
        assertThat(all.at("/0/lines/0/period_end").asText()).isEqualTo(SIGNUP.plusSeconds(86_400).toString());
        assertThat(deadRows()).isZero();
    }

    @Test
    void aCycleSummingPastALongIsNeverBilledWrongly() {
        // Nine million events at the most each may count, written straight to the database: two halves of 2^63.
        report("big-1", 1);
        String cycle = api.get("/v1/subscriptions/" + usage).str("current_period_start");
        for (String id : new String[] {"half-1", "half-2"})
            server.app.db.dsl().execute("insert into usage_events (tenant_id, id, subscription_id, quantity, occurred_at, cycle_start, "
                    + "created_at) values (?, ?, ?, ?, ?, ?, ?)", api.tenant.id(), id, usage, 1L << 62, SIGNUP, Instant.parse(cycle), SIGNUP);
        advance(CYCLE_END.plusSeconds(3600));

        JsonNode all = invoices();
        assertThat(all).hasSize(2);
        assertThat(all.get(0).get("lines")).extracting(l -> l.get("kind").asText()).containsExactly("subscription");
        assertThat(deadRows()).isZero();
        assertThat(billingPendingAt(CYCLE_END.plusSeconds(86_400))).isTrue();
    }
}
