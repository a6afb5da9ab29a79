package tollgate.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.IssuedInvoices;
import tollgate.testing.IssuedInvoices.Off;
import tollgate.testing.Scenario;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/** Issue #10 1.12: an invoice describes a coupon by its name and what it takes off, never by its id. */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class CouponDescriptionTest {
    @Parameter
    TestDatabase database;

    private static String id(Res r) {
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.str("id");
    }

    private List<Off> signupDiscounts(String coupon) {
        ApiClient api = Scenario.tenantAt(TestServer.on(database), Instant.parse("2030-03-10T09:00:00Z"));
        String account = api.newPayingAccount("Shop", "usd", "UTC");
        String plan = id(api.post("/v1/plans", "{\"name\":\"Hosting M\",\"type\":\"flat\",\"currency\":\"usd\",\"amount\":2500}"));
        String couponId = id(api.post("/v1/coupons", coupon));
        id(api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\",\"coupon\":\"" + couponId + "\"}"));
        assertThat(api.post("/v1/test_clock/advance", "{\"to\":\"2030-03-10T09:01:00Z\"}").status()).isEqualTo(200);
        List<JsonNode> invoices = IssuedInvoices.oldestFirst(api, account);
        assertThat(invoices).hasSize(1);
        return IssuedInvoices.discounts(invoices.getFirst());
    }

    @Test
    void aCouponWithoutANameIsDescribedByWhatItTakesOff() {
        // 25% of 2500 = 625; 500 minor units of usd are USD 5.00.
        assertThat(signupDiscounts("{\"percent_off\":25,\"duration\":\"forever\"}")).containsExactly(new Off("25% off", 625));
        assertThat(signupDiscounts("{\"amount_off\":500,\"currency\":\"usd\",\"duration\":\"once\"}"))
                .containsExactly(new Off("USD 5.00 off", 500));
    }

    @Test
    void aNamedCouponKeepsItsName() {
        assertThat(signupDiscounts("{\"name\":\"Launch\",\"amount_off\":500,\"currency\":\"usd\",\"duration\":\"once\"}"))
                .containsExactly(new Off("Launch: USD 5.00 off", 500));
    }

    @Test
    void aPercentageWithDecimalsTakesItsExactShareRoundedOnce() {
        // Decision 089: 12.5% of 2500 = 312.5, half-even 312; 33.33% of 2500 = 833.25, 833.
        assertThat(signupDiscounts("{\"name\":\"Spring\",\"percent_off\":12.5,\"duration\":\"forever\"}"))
                .containsExactly(new Off("Spring: 12.5% off", 312));
        assertThat(signupDiscounts("{\"percent_off\":33.33,\"duration\":\"once\"}")).containsExactly(new Off("33.33% off", 833));
    }
}
