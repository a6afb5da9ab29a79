package tollgate.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.jooq.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import tollgate.testing.ApiClient;
import tollgate.testing.TestDatabase;
import tollgate.testing.TestServer;

/** SPEC §5: what the database keeps of a card, read back from the table itself. */
@ParameterizedClass
@MethodSource("tollgate.testing.TestDatabase#available")
class PaymentMethodStorageTest {
    @Parameter
    TestDatabase database;
    TestServer server;
    ApiClient api;
    PaymentMethodCalls pm;
    String account;

    @BeforeEach
    void tenant() {
        server = TestServer.on(database);
        api = server.newTenant();
        pm = new PaymentMethodCalls(api);
        account = api.newAccount("Acme", "usd", "UTC");
    }

    @Test
    void theDatabaseKeepsOnlyTheGatewayTokenBrandLast4AndExpiryOfACard() {
        String id = pm.attached(account, "tok_mastercard");
        var db = server.app.db.dsl();
        Record row = db.fetchOne("select * from payment_methods where tenant_id = ? and id = ?", api.tenant.id(), id);
        // Every column, so that a new card-ish column has to be added here on purpose.
        assertThat(List.of(row.fields()).stream().map(f -> f.getName().toLowerCase(java.util.Locale.ROOT)).toList())
                .containsExactly("id", "tenant_id", "account_id", "seq", "gateway", "gateway_ref", "brand", "last4",
                        "exp_month", "exp_year", "primary_for", "created_at", "deleted_at", "gateway_customer");
        // The gateway's customer id (Stripe's cus_…), kept to refuse another account its cards (decision 032); the sandbox has none.
        assertThat(row.get("gateway_customer", String.class)).isNull();
        assertThat(row.get("gateway", String.class)).isEqualTo("sandbox");
        assertThat(row.get("gateway_ref", String.class)).isEqualTo("tok_mastercard");
        assertThat(row.get("brand", String.class)).isEqualTo("mastercard");
        assertThat(row.get("last4", String.class)).isEqualTo("4444");
        assertThat(row.get("exp_month", Integer.class)).isEqualTo(12);
        assertThat(row.get("exp_year", Integer.class)).isEqualTo(2034);
        assertThat(row.get("primary_for", String.class)).isEqualTo(account);
        assertThat(row.get("deleted_at")).isNull();
    }

    @Test
    void aDeletedMethodIsKeptAsADeletedRowThatIsNeverPrimary() {
        String first = pm.attached(account, "tok_visa");
        pm.attached(account, "tok_mastercard");
        pm.delete(first);
        var db = server.app.db.dsl();
        Record row = db.fetchOne("select primary_for, deleted_at from payment_methods where tenant_id = ? and id = ?", api.tenant.id(), first);
        assertThat(row.get("deleted_at")).isNotNull();
        assertThat(row.get("primary_for")).isNull();
    }

    @Test
    void theDatabaseItselfRefusesASecondPrimaryForAnAccount() {
        String first = pm.attached(account, "tok_visa");
        String second = pm.attached(account, "tok_mastercard");
        PaymentMethodStore store = new PaymentMethodStore();
        assertThatThrownBy(() -> server.app.db.tx(tx -> {
            store.setPrimary(tx, api.tenant.id(), second, true);
            return null;
        })).isInstanceOf(org.jooq.exception.DataAccessException.class);
        assertThat(pm.primaries(account)).containsExactly(first);
    }
}
