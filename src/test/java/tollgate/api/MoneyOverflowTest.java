package tollgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.charges.ChargeSource;
import tollgate.charges.Charges;
import tollgate.tenants.Tenant;
import tollgate.testing.ApiClient;
import tollgate.testing.ApiClient.Res;
import tollgate.testing.Fixtures;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/**
 * The safety net under the price caps: should exact money arithmetic still pass a {@code long} on an API path (here a
 * charge source that overflows when a subscription is billed at signup), the caller gets 422 {@code amount_too_large},
 * not a 500, and nothing is written.
 */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class MoneyOverflowTest {
    @Parameter
    TestDatabase database;

    @Test
    void moneyArithmeticPastALongOnAnApiPathIs422AmountTooLargeAndWritesNothing() {
        TestServer server = TestServer.on(database);
        ApiClient api = server.newTenant();
        String account = Fixtures.payingAccount(api, "Overflowing", "usd");
        String plan = Fixtures.flatPlan(api, "usd");
        server.app.billing.addSource(new ChargeSource() {
            @Override
            public Charges dueAt(tollgate.tenants.Ctx ctx, Account a) {
                if (a.id().equals(account)) Math.multiplyExact(Long.MAX_VALUE, 2);
                return Charges.NONE;
            }
        });

        Res refused = api.post("/v1/accounts/" + account + "/subscriptions", "{\"plan\":\"" + plan + "\"}");
        assertThat(refused.status()).as(refused.text()).isEqualTo(422);
        assertThat(refused.code()).isEqualTo("amount_too_large");
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(api.get("/v1/accounts/" + account + "/subscriptions").json().get("data")).isEmpty();
        assertThat(api.get("/v1/accounts/" + account + "/invoices").json().get("data")).isEmpty();
    }
}
