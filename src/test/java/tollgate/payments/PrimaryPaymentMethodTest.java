package tollgate.payments;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SPEC §5's primary rules, without a database. */
class PrimaryPaymentMethodTest {
    private static final Instant T = Instant.parse("2026-03-01T00:00:00Z");
    private static final Card VISA = new Card("visa", "4242", 12, 2034);

    @Test
    void theFirstMethodBecomesPrimaryEvenWhenNotAsked() {
        assertThat(PrimaryPaymentMethod.onAttach(false, false)).isTrue();
        assertThat(PrimaryPaymentMethod.onAttach(false, true)).isTrue();
    }

    @Test
    void aLaterMethodBecomesPrimaryOnlyWhenAsked() {
        assertThat(PrimaryPaymentMethod.onAttach(true, false)).isFalse();
        assertThat(PrimaryPaymentMethod.onAttach(true, true)).isTrue();
    }

    @Test
    void detachingThePrimaryPromotesTheOldestRemaining() {
        PaymentMethod primary = PaymentMethod.attach("acct_a", VISA, true, T);
        PaymentMethod older = PaymentMethod.attach("acct_a", VISA, false, T);
        PaymentMethod newer = PaymentMethod.attach("acct_a", VISA, false, T);
        assertThat(PrimaryPaymentMethod.promotedOnDetach(primary, List.of(older, newer))).contains(older);
        // The detached one may still be in the list it is given; it is never promoted.
        assertThat(PrimaryPaymentMethod.promotedOnDetach(primary, List.of(primary, newer))).contains(newer);
    }

    @Test
    void detachingANonPrimaryOrTheLastMethodPromotesNothing() {
        PaymentMethod primary = PaymentMethod.attach("acct_a", VISA, true, T);
        PaymentMethod other = PaymentMethod.attach("acct_a", VISA, false, T);
        assertThat(PrimaryPaymentMethod.promotedOnDetach(other, List.of(primary))).isEmpty();
        assertThat(PrimaryPaymentMethod.promotedOnDetach(primary, List.of())).isEmpty();
    }
}
