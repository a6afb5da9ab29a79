package tollgate.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.charges.ChargeSource;
import tollgate.charges.Charges;
import tollgate.invoicing.InvoiceLine;
import tollgate.subscriptions.Subscription;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.Scenario;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * What usage subscriptions bill at the end of a cycle, asked of the usage source alone ({@link UsageCharges}), with
 * exact instants and cents: graduated tiers at their edges, and which cycle an event at a cycle's first and last
 * instant counts in. The source reads the database (the cycle's summed usage, its subscriptions under lock), so it
 * runs over the smallest real setup the billing tests use: {@link Scenario}'s services on a test server's database.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class UsageChargesTest {
    private static final Instant START = Instant.parse("2030-01-10T12:00:00Z");
    private static final Instant FEB_10 = Instant.parse("2030-02-10T12:00:00Z");
    private static final Instant MAR_10 = Instant.parse("2030-03-10T12:00:00Z");

    @Parameter
    TestDatabase database;
    TestServer server;
    Scenario scenario;
    ApiClient api;
    String account;

    @BeforeEach
    void tenant() {
        server = TestServer.on(database);
        scenario = Scenario.billing(server);
        api = Scenario.tenantAt(server, START);
        account = api.newAccount("Apps", "usd", "UTC");
    }

    private String plan(String json) {
        Res r = api.post("/v1/plans", json);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.str("id");
    }

    private Charges dueAt(Instant at) {
        ChargeSource.Account billed = new ChargeSource.Account(account, "usd", ZoneId.of("UTC"));
        return server.app.db.tx(tx -> scenario.usage.charges().dueAt(new tollgate.tenants.Ctx(tx, api.tenant, at), billed));
    }

    private void record(Subscription sub, String id, long quantity, Instant timestamp) {
        scenario.usage.record(api.tenant, new UsageEventRules.Reported("", id, sub.id(), quantity, timestamp));
    }

    private void advance(Instant to) {
        Res r = api.post("/v1/test_clock/advance", "{\"to\":\"" + to + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }

    @Test
    void graduatedTiersWithFlatAmountsBill800ForExactlyTheFirstTiersHundredUnitsAnd1001ForOneMore() {
        // Units 1-100 at 3 plus 500 once; from 101 at 1 plus 200 once the tier is reached.
        String plan = plan("{\"name\":\"Requests\",\"type\":\"usage\",\"currency\":\"usd\",\"tiers\":["
                + "{\"up_to\":100,\"unit_amount\":3,\"flat_amount\":500},{\"up_to\":null,\"unit_amount\":1,\"flat_amount\":200}]}");
        Subscription sub = scenario.subscriptions.subscribe(api.tenant, account, plan, null, null);
        record(sub, "a", 60, START);
        advance(Instant.parse("2030-01-20T00:00:00Z"));
        record(sub, "b", 40, null);

        // 100 × 3 + 500 = 800: the second tier is not reached, so its flat amount is not added.
        assertThat(dueAt(FEB_10).lines()).containsExactly(new InvoiceLine("usage", "Requests: 100 units (100 × 0.03 + 5.00 flat)", plan, sub.id(), null, null,
                null, START, FEB_10, 100, null, 800));

        advance(Instant.parse("2030-02-20T00:00:00Z"));
        record(sub, "c", 101, null);
        // 100 × 3 + 500 + 1 × 1 + 200 = 1001
        assertThat(dueAt(MAR_10).lines()).containsExactly(new InvoiceLine("usage", "Requests: 101 units (100 × 0.03 + 5.00 flat + 1 × 0.01 + 2.00 flat)", plan, sub.id(), null, null,
                null, FEB_10, MAR_10, 101, null, 1001));
    }

    @Test
    void anEventAtTheCyclesFirstAndLastMillisecondCountsInItAndOneAtItsEndInTheNext() {
        String plan = plan("{\"name\":\"Requests\",\"type\":\"usage\",\"currency\":\"usd\",\"unit_amount\":7}");
        Subscription sub = scenario.subscriptions.subscribe(api.tenant, account, plan, null, null);
        Instant lastMilli = FEB_10.minusMillis(1);
        record(sub, "first", 2, START);
        advance(lastMilli);
        record(sub, "last", 3, lastMilli);

        // Before the cycle's end nothing is due; at its end both events: 5 × 7 = 35.
        assertThat(dueAt(lastMilli).isEmpty()).isTrue();
        Charges feb = dueAt(FEB_10);
        assertThat(feb.lines()).extracting(InvoiceLine::periodStart, InvoiceLine::periodEnd, InvoiceLine::quantity, InvoiceLine::amount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(START, FEB_10, 5L, 35L));
        // Asked again at the same instant (a retried run): the cycle moved on with its bill, nothing is due twice.
        assertThat(dueAt(FEB_10).isEmpty()).isTrue();

        // Stamped at the old cycle's end (within the meter's allowed skew of the clock): the new cycle's first event.
        record(sub, "next", 4, FEB_10);
        assertThat(dueAt(MAR_10).lines()).extracting(InvoiceLine::periodStart, InvoiceLine::quantity, InvoiceLine::amount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(FEB_10, 4L, 28L));
    }
}
