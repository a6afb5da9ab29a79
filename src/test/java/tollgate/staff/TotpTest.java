package tollgate.staff;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** RFC 6238's SHA-1 test vectors (their last six digits), the ±1 step window, and a code used once only. */
class TotpTest {
    private static final byte[] RFC_SECRET = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @Test
    void theRfc6238VectorsGiveTheirCodes() {
        assertThat(Totp.code(RFC_SECRET, Totp.step(59))).isEqualTo("287082");
        assertThat(Totp.code(RFC_SECRET, Totp.step(1111111109))).isEqualTo("081804");
        assertThat(Totp.code(RFC_SECRET, Totp.step(1111111111))).isEqualTo("050471");
        assertThat(Totp.code(RFC_SECRET, Totp.step(1234567890))).isEqualTo("005924");
        assertThat(Totp.code(RFC_SECRET, Totp.step(2000000000))).isEqualTo("279037");
        assertThat(Totp.code(RFC_SECRET, Totp.step(20000000000L))).isEqualTo("353130");
    }

    @Test
    void aCodeOfTheStepBeforeOrAfterPassesTwoStepsAwayDoesNot() {
        long t = 1_234_567_890L;
        long step = Totp.step(t);
        assertThat(Totp.match(RFC_SECRET, Totp.code(RFC_SECRET, step - 1), t, -1)).isEqualTo(step - 1);
        assertThat(Totp.match(RFC_SECRET, Totp.code(RFC_SECRET, step + 1), t, -1)).isEqualTo(step + 1);
        assertThat(Totp.match(RFC_SECRET, Totp.code(RFC_SECRET, step - 2), t, -1)).isEqualTo(-1);
        assertThat(Totp.match(RFC_SECRET, Totp.code(RFC_SECRET, step + 2), t, -1)).isEqualTo(-1);
        assertThat(Totp.match(RFC_SECRET, "12345", t, -1)).isEqualTo(-1);
        assertThat(Totp.match(RFC_SECRET, "abcdef", t, -1)).isEqualTo(-1);
    }

    @Test
    void aCodeOnceAcceptedIsRefusedWithinItsWindowAndSoIsAnEarlierOne() {
        long t = 1_234_567_890L;
        long step = Totp.step(t);
        String code = Totp.code(RFC_SECRET, step);
        assertThat(Totp.match(RFC_SECRET, code, t, -1)).isEqualTo(step);
        assertThat(Totp.match(RFC_SECRET, code, t, step)).isEqualTo(-1);
        assertThat(Totp.match(RFC_SECRET, code, t + 30, step)).isEqualTo(-1);
        assertThat(Totp.match(RFC_SECRET, Totp.code(RFC_SECRET, step - 1), t, step)).isEqualTo(-1);
        assertThat(Totp.match(RFC_SECRET, Totp.code(RFC_SECRET, step + 1), t, step)).isEqualTo(step + 1);
    }

    @Test
    void base32RoundTripsAndTheUriIsWhatAppsRead() {
        byte[] secret = Totp.newSecret();
        assertThat(Totp.fromBase32(Totp.base32(secret))).isEqualTo(secret);
        assertThat(Totp.base32("12345678901234567890".getBytes(StandardCharsets.US_ASCII))).isEqualTo("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assertThat(Totp.uri("Acme (Tollgate)", "ada@acme.example", RFC_SECRET)).isEqualTo("otpauth://totp/Acme%20%28Tollgate%29:"
                + "ada%40acme.example?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Acme%20%28Tollgate%29&algorithm=SHA1&digits=6&period=30");
    }
}
