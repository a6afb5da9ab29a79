package tollgate.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code Tollgate-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">}, Stripe's scheme: the receiver recomputes
 * the HMAC with its {@code whsec_} secret and compares, and refuses a {@code t} too far from its own clock. While a rolled
 * secret's predecessor is still valid, each secret adds its own {@code v1}.
 */
public final class Signature {
    public static final String HEADER = "Tollgate-Signature";

    private Signature() {}

    public static String header(long unixSeconds, byte[] body, List<String> secrets) {
        StringBuilder h = new StringBuilder("t=").append(unixSeconds);
        for (String secret : secrets) h.append(",v1=").append(hmacHex(secret, unixSeconds, body));
        return h.toString();
    }

    static String hmacHex(String secret, long unixSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((unixSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
