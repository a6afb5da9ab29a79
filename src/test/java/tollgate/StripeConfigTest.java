package tollgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code TOLLGATE_STRIPE_SECRET_KEY} and {@code TOLLGATE_STRIPE_API_BASE}: read, checked, and never printed. */
class StripeConfigTest {

    @Test
    void withoutAKeyThereIsNoStripe() {
        Config.StripeSettings stripe = Config.fromEnvironment(Map.of()).stripe();
        assertThat(stripe.configured()).isFalse();
        assertThat(stripe.apiBase()).isEqualTo("https://api.stripe.com");
        assertThat(Config.fromEnvironment(Map.of("TOLLGATE_STRIPE_SECRET_KEY", " ")).stripe().configured()).isFalse();
    }

    @Test
    void aKeyAndAnApiBaseAreTakenAsGivenLessATrailingSlash() {
        Config.StripeSettings stripe = Config.fromEnvironment(Map.of(
                "TOLLGATE_STRIPE_SECRET_KEY", "sk_test_51Habc",
                "TOLLGATE_STRIPE_API_BASE", "http://127.0.0.1:12111/")).stripe();
        assertThat(stripe.configured()).isTrue();
        assertThat(stripe.secretKey()).isEqualTo("sk_test_51Habc");
        assertThat(stripe.apiBase()).isEqualTo("http://127.0.0.1:12111");
    }

    @Test
    void somethingElseThanASecretKeyOrAUrlStopsTheStartWithAPlainMessage() {
        for (String key : new String[] {"pk_test_51Habc", "51Habc", "sk_test_51H abc"})
            assertThatThrownBy(() -> Config.fromEnvironment(Map.of("TOLLGATE_STRIPE_SECRET_KEY", key)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TOLLGATE_STRIPE_SECRET_KEY")
                    .hasMessageNotContaining(key);
        for (String base : new String[] {"api.stripe.com", "ftp://api.stripe.com", "https://"})
            assertThatThrownBy(() -> Config.fromEnvironment(Map.of("TOLLGATE_STRIPE_API_BASE", base)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TOLLGATE_STRIPE_API_BASE");
    }

    @Test
    void theKeyIsNeverPrinted() {
        Config config = Config.fromEnvironment(Map.of("TOLLGATE_STRIPE_SECRET_KEY", "sk_live_51Hsecretsecret"));
        assertThat(config.toString()).doesNotContain("51Hsecretsecret").contains("sk_live_…");
    }
}
