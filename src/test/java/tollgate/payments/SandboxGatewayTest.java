package tollgate.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tollgate.payments.DebitOutcome.Declined;
import tollgate.payments.DebitOutcome.Succeeded;

/** SPEC §5: the sandbox gateway accepts exactly the spec's tokens, and each charges as the spec says. */
class SandboxGatewayTest {
    private final SandboxGateway sandbox = new SandboxGateway(null);

    @ParameterizedTest
    @CsvSource({
            "tok_visa, visa, 4242",
            "tok_mastercard, mastercard, 4444",
            "tok_chargeDeclined, visa, 0002",
            "tok_chargeDeclinedInsufficientFunds, visa, 9995",
            "tok_chargeDeclinedExpiredCard, visa, 0069",
            "tok_chargeDeclinedLostCard, visa, 9987",
            "tok_chargeDeclinedOnce, visa, 0341"})
    void eachSandboxTokenDescribesItsCardWithStripesTestLast4AndAFixedFutureExpiry(String token, String brand, String last4) {
        assertThat(sandbox.describe(token)).contains(new Card(brand, last4, 12, 2034));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "tok_unknown", "TOK_VISA", "tok_visa ", "4242424242424242", "pm_card_visa"})
    void anyOtherTokenIsUnknown(String token) {
        assertThat(sandbox.describe(token)).isEmpty();
        assertThat(sandbox.describe(null)).isEmpty();
    }

    @Test
    void theGatewayIsNamedSandbox() {
        assertThat(sandbox.name()).isEqualTo("sandbox");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tok_visa", "tok_mastercard"})
    void visaAndMastercardChargesAlwaysSucceed(String token) {
        for (int previous = 0; previous < 5; previous++)
            assertThat(SandboxGateway.chargeOutcome(token, previous)).isEqualTo(new Succeeded());
    }

    @ParameterizedTest
    @CsvSource({
            "tok_chargeDeclined, generic_decline",
            "tok_chargeDeclinedInsufficientFunds, insufficient_funds",
            "tok_chargeDeclinedExpiredCard, expired_card",
            "tok_chargeDeclinedLostCard, lost_card"})
    void decliningTokensFailEveryChargeWithTheirReason(String token, String reason) {
        for (int previous = 0; previous < 5; previous++)
            assertThat(SandboxGateway.chargeOutcome(token, previous)).isEqualTo(new Declined(reason));
    }

    @Test
    void declinedOnceFailsItsFirstChargeOnlyAndThenSucceeds() {
        assertThat(SandboxGateway.chargeOutcome("tok_chargeDeclinedOnce", 0)).isEqualTo(new Declined("generic_decline"));
        assertThat(SandboxGateway.chargeOutcome("tok_chargeDeclinedOnce", 1)).isEqualTo(new Succeeded());
        assertThat(SandboxGateway.chargeOutcome("tok_chargeDeclinedOnce", 7)).isEqualTo(new Succeeded());
    }

    @Test
    void chargingAnUnknownTokenOrANegativeCountIsAProgrammingError() {
        assertThatThrownBy(() -> SandboxGateway.chargeOutcome("tok_unknown", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SandboxGateway.chargeOutcome(null, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SandboxGateway.chargeOutcome("tok_visa", -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
