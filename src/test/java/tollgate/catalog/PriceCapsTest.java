package tollgate.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.Fixtures;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * Every price is at most 99,999,999 minor units (Stripe's eight digits) and a plan includes at most 1,000,000 seats:
 * with those caps no invoice line can pass a {@code long}. Before them a seats plan at 5 × 10^18 per seat was accepted,
 * and subscribing to it with two seats answered 500.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class PriceCapsTest {
    static final long MAX = 99_999_999L;

    @Parameter
    TestDatabase database;

    /** A body with {@code %d} where the price under test goes, and the field a refusal names. */
    record Priced(String path, String body, String field) {}

    static final Priced[] PRICES = {
            new Priced("/v1/plans", "{\"name\":\"L\",\"type\":\"license\",\"currency\":\"usd\",\"amount\":%d}", "amount"),
            new Priced("/v1/plans", "{\"name\":\"F\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":%d,\"interval\":\"year\"}", "amount"),
            new Priced("/v1/plans", "{\"name\":\"S\",\"type\":\"seats\",\"currency\":\"usd\",\"amount\":%d,\"included_seats\":1,"
                    + "\"seat_amount\":1}", "amount"),
            new Priced("/v1/plans", "{\"name\":\"S\",\"type\":\"seats\",\"currency\":\"usd\",\"amount\":1,\"included_seats\":1,"
                    + "\"seat_amount\":%d}", "seat_amount"),
            new Priced("/v1/plans", "{\"name\":\"U\",\"type\":\"usage\",\"currency\":\"usd\",\"unit_amount\":%d}", "unit_amount"),
            new Priced("/v1/plans", "{\"name\":\"T\",\"type\":\"usage\",\"currency\":\"usd\",\"tiers\":[{\"up_to\":10,\"unit_amount\":1},"
                    + "{\"up_to\":null,\"unit_amount\":%d}]}", "tiers[1].unit_amount"),
            new Priced("/v1/plans", "{\"name\":\"T\",\"type\":\"usage\",\"currency\":\"usd\",\"tiers\":[{\"up_to\":10,\"unit_amount\":1,"
                    + "\"flat_amount\":%d},{\"up_to\":null,\"unit_amount\":1}]}", "tiers[0].flat_amount"),
            new Priced("/v1/coupons", "{\"amount_off\":%d,\"currency\":\"usd\",\"duration\":\"forever\"}", "amount_off"),
    };

    @Test
    void everyPriceIsAtMost99999999MinorUnits() {
        ApiClient api = TestServer.on(database).newTenant();
        for (Priced p : PRICES) {
            Res atMost = api.post(p.path(), p.body().formatted(MAX));
            assertThat(atMost.status()).as(p.field() + " " + atMost.text()).isEqualTo(200);
            for (long over : new long[] {MAX + 1, 5_000_000_000_000_000_000L}) {
                Res refused = api.post(p.path(), p.body().formatted(over));
                assertThat(refused.status()).as(p.field() + " " + refused.text()).isEqualTo(422);
                assertThat(refused.code()).as(p.field()).isEqualTo("amount_too_large");
                assertThat(refused.str("field")).isEqualTo(p.field());
            }
        }
        // Only the plans and the coupon at the maximum were created.
        assertThat(api.get("/v1/plans?limit=100").json().get("data")).hasSize(PRICES.length - 1);
        assertThat(api.get("/v1/coupons").json().get("data")).hasSize(1);
    }

    @Test
    void aPlanIncludesAtMostAMillionSeats() {
        ApiClient api = TestServer.on(database).newTenant();
        String body = "{\"name\":\"S\",\"type\":\"seats\",\"currency\":\"usd\",\"amount\":1,\"included_seats\":%d,\"seat_amount\":1}";
        assertThat(api.post("/v1/plans", body.formatted(1_000_000)).status()).isEqualTo(200);
        Res refused = api.post("/v1/plans", body.formatted(1_000_001));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.code()).isEqualTo("parameter_invalid");
        assertThat(refused.str("field")).isEqualTo("included_seats");
    }

    @Test
    void theMostExpensiveSeatsSubscriptionIsBilledExactly() {
        ApiClient api = TestServer.on(database).newTenant();
        String account = Fixtures.payingAccount(api, "Seats", "usd");
        String plan = api.post("/v1/plans", ("{\"name\":\"S\",\"type\":\"seats\",\"currency\":\"usd\",\"amount\":%d,\"included_seats\":0,"
                + "\"seat_amount\":%d}").formatted(MAX, MAX)).str("id");
        Res sub = api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\",\"seats\":1000000}");
        assertThat(sub.status()).as(sub.text()).isEqualTo(200);
        Res invoice = api.get("/v1/accounts/" + account + "/invoices");
        assertThat(invoice.json().at("/data/0/total").asLong()).isEqualTo(MAX + 1_000_000 * MAX);
        Res tooMany = api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\",\"seats\":1000001}");
        assertThat(tooMany.status()).isEqualTo(422);
        assertThat(tooMany.str("field")).isEqualTo("seats");
    }
}
