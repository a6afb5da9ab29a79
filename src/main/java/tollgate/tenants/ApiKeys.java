package tollgate.tenants;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Secret keys {@code tg_test_…}/{@code tg_live_…}: 190 random bits, kept only as SHA-256 hashes. */
public final class ApiKeys {
    private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final Pattern FORMAT = Pattern.compile("tg_(test|live)_[A-Za-z0-9]{16,100}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {}

    public static String generate(Tenant.Mode mode) {
        StringBuilder key = new StringBuilder("tg_").append(mode.wire()).append('_');
        for (int i = 0; i < 32; i++) key.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        return key.toString();
    }

    public static boolean isWellFormed(String key) {
        return key != null && FORMAT.matcher(key).matches();
    }

    public static Tenant.Mode modeOf(String key) {
        return key.startsWith("tg_live_") ? Tenant.Mode.LIVE : Tenant.Mode.TEST;
    }

    public static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
