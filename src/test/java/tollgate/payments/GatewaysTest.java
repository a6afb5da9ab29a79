package tollgate.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tollgate.core.Problem;
import tollgate.tenants.Tenant;
import tollgate.tenants.TenantProfiles.GatewayChoice;

/** Which gateway a tenant attaches new cards through: its choice, else its mode's default, never one that cannot work. */
class GatewaysTest {
    private static final Tenant TEST = new Tenant("tnt_test", "Test", Tenant.Mode.TEST);
    private static final Tenant LIVE = new Tenant("tnt_live", "Live", Tenant.Mode.LIVE);

    /** A gateway that only has a name and says whether it moves money. */
    private record Named(String name, boolean movesRealMoney) implements Gateway {
        @Override
        public Optional<Card> describe(String token) {
            return Optional.empty();
        }

        @Override
        public DebitResult debit(DebitRequest request) {
            throw new UnsupportedOperationException();
        }
    }

    private static final Gateway SANDBOX = new Named("sandbox", false);
    private static final Gateway STRIPE_TEST_KEY = new Named("stripe", false);
    private static final Gateway STRIPE_LIVE_KEY = new Named("stripe", true);

    private static Gateways chosen(Gateway live, Map<String, String> choices) {
        return new Gateways(SANDBOX, live, tenant -> choices.get(tenant.id()));
    }

    @Test
    void withoutAChoiceTestTenantsGetTheSandboxAndLiveTenantsStripe() {
        Gateways gateways = new Gateways(SANDBOX, STRIPE_LIVE_KEY);
        assertThat(gateways.forAttaching(TEST)).isSameAs(SANDBOX);
        assertThat(gateways.forAttaching(LIVE)).isSameAs(STRIPE_LIVE_KEY);
    }

    @Test
    void withoutStripeALiveTenantHasNoGateway() {
        assertUnavailable(() -> new Gateways(SANDBOX, null).forAttaching(LIVE), null);
    }

    @Test
    void aTestTenantThatChoseStripeAttachesThroughItWhenTheKeyIsATestKey() {
        assertThat(chosen(STRIPE_TEST_KEY, Map.of("tnt_test", "stripe")).forAttaching(TEST)).isSameAs(STRIPE_TEST_KEY);
    }

    @Test
    void aTestTenantMayNotChargeRealMoneyThroughStripe() {
        assertUnavailable(() -> chosen(STRIPE_LIVE_KEY, Map.of("tnt_test", "stripe")).forAttaching(TEST), null);
        assertUnavailable(() -> new Gateways(SANDBOX, STRIPE_LIVE_KEY).requireUsableSettings(TEST, new GatewayChoice("stripe"), null), "gateway");
    }

    @Test
    void stripeChosenButNotConfiguredIsUnavailable() {
        assertUnavailable(() -> chosen(null, Map.of("tnt_test", "stripe")).forAttaching(TEST), null);
        assertUnavailable(() -> new Gateways(SANDBOX, null).requireUsableSettings(TEST, new GatewayChoice("stripe"), null), "gateway");
    }

    @Test
    void aLiveTenantMayNotChooseTheSandbox() {
        assertUnavailable(() -> chosen(STRIPE_LIVE_KEY, Map.of("tnt_live", "sandbox")).forAttaching(LIVE), null);
        assertUnavailable(() -> new Gateways(SANDBOX, STRIPE_LIVE_KEY).requireUsableSettings(LIVE, new GatewayChoice("sandbox"), null), "gateway");
    }

    @Test
    void aLiveTenantMayRunOnAStripeTestKeyAsAStagingServerWould() {
        assertThat(chosen(STRIPE_TEST_KEY, Map.of("tnt_live", "stripe")).forAttaching(LIVE)).isSameAs(STRIPE_TEST_KEY);
        assertThat(new Gateways(SANDBOX, STRIPE_TEST_KEY).forAttaching(LIVE)).isSameAs(STRIPE_TEST_KEY);
    }

    @Test
    void aTestTenantMayChooseTheSandboxExplicitly() {
        assertThat(chosen(STRIPE_TEST_KEY, Map.of("tnt_test", "sandbox")).forAttaching(TEST)).isSameAs(SANDBOX);
    }

    @Test
    void anUnknownNameIsInvalidAndTheDefaultIsAlwaysAccepted() {
        Gateways gateways = new Gateways(SANDBOX, null);
        for (String name : new String[] {"paypal", "", "Stripe", "SANDBOX"}) {
            assertThatThrownBy(() -> gateways.requireUsableSettings(TEST, new GatewayChoice(name), null)).isInstanceOfSatisfying(Problem.class, p -> {
                assertThat(p.status()).isEqualTo(422);
                assertThat(p.code()).isEqualTo("parameter_invalid");
                assertThat(p.field()).isEqualTo("gateway");
            });
        }
        gateways.requireUsableSettings(TEST, GatewayChoice.DEFAULT, null);
        gateways.requireUsableSettings(LIVE, GatewayChoice.DEFAULT, null);
    }

    @Test
    void aStoredMethodIsChargedThroughTheGatewayThatAttachedItWhateverTheTenantChoosesLater() {
        Gateways gateways = chosen(STRIPE_TEST_KEY, Map.of("tnt_test", "sandbox"));
        assertThat(gateways.named("stripe")).containsSame(STRIPE_TEST_KEY);
        assertThat(gateways.named("sandbox")).containsSame(SANDBOX);
        assertThat(new Gateways(SANDBOX, null).named("stripe")).isEmpty();
    }

    private static void assertUnavailable(Runnable call, String field) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(Problem.class, p -> {
            assertThat(p.status()).isEqualTo(422);
            assertThat(p.code()).isEqualTo("gateway_unavailable");
            assertThat(p.field()).isEqualTo(field);
        });
    }
}
