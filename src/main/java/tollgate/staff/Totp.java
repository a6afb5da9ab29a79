package tollgate.staff;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * RFC 6238 time-based one-time passwords as authenticator apps make them: HMAC-SHA1, 30-second steps from the Unix
 * epoch, 6 digits, secrets of 20 random bytes shown in base32 (RFC 4648, no padding). Pure: the caller gives the time.
 */
public final class Totp {
    public static final int STEP_SECONDS = 30;
    public static final int DIGITS = 6;
    /** Codes of one step before and after the current one are accepted too (clock drift, a code typed as it changed). */
    public static final int WINDOW = 1;
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Totp() {}

    public static byte[] newSecret() {
        byte[] b = new byte[20];
        RANDOM.nextBytes(b);
        return b;
    }

    /** The step of {@code epochSecond}: floor(t / 30). */
    public static long step(long epochSecond) {
        return Math.floorDiv(epochSecond, STEP_SECONDS);
    }

    /** The 6-digit code of {@code secret} at {@code step} (RFC 4226 dynamic truncation). */
    public static String code(byte[] secret, long step) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            byte[] h = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
            int o = h[h.length - 1] & 0x0f;
            int bin = ((h[o] & 0x7f) << 24) | ((h[o + 1] & 0xff) << 16) | ((h[o + 2] & 0xff) << 8) | (h[o + 3] & 0xff);
            return String.format("%0" + DIGITS + "d", bin % 1_000_000);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is not available", e);
        }
    }

    /**
     * The step whose code {@code typed} is, within {@link #WINDOW} of {@code now}'s step and after {@code lastUsed}
     * (a code once accepted is never accepted again, nor one of an earlier step); -1 when none.
     */
    public static long match(byte[] secret, String typed, long epochSecond, long lastUsed) {
        if (typed == null || !typed.matches("\\d{" + DIGITS + "}")) return -1;
        long now = step(epochSecond);
        for (long s = now - WINDOW; s <= now + WINDOW; s++) {
            if (s <= lastUsed) continue;
            if (java.security.MessageDigest.isEqual(code(secret, s).getBytes(), typed.getBytes())) return s;
        }
        return -1;
    }

    public static String base32(byte[] data) {
        StringBuilder out = new StringBuilder();
        int buffer = 0, bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(ALPHABET.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) out.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
        return out.toString();
    }

    public static byte[] fromBase32(String text) {
        String s = text.replace(" ", "").replace("=", "").toUpperCase(java.util.Locale.ROOT);
        ByteBuffer out = ByteBuffer.allocate(s.length() * 5 / 8);
        int buffer = 0, bits = 0;
        for (char c : s.toCharArray()) {
            int v = ALPHABET.indexOf(c);
            if (v < 0) throw new IllegalArgumentException("not base32: " + c);
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out.put((byte) (buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        return out.array();
    }

    /** The otpauth:// link an authenticator app reads from the QR code (Key Uri Format). */
    public static String uri(String issuer, String account, byte[] secret) {
        String i = enc(issuer);
        return "otpauth://totp/" + i + ":" + enc(account) + "?secret=" + base32(secret) + "&issuer=" + i
                + "&algorithm=SHA1&digits=" + DIGITS + "&period=" + STEP_SECONDS;
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
