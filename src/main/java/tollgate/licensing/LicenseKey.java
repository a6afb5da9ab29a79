package tollgate.licensing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * License keys: 25 Crockford base32 characters (125 random bits from SecureRandom) in five blocks of five,
 * {@code 7KQ2M-9XH4C-…}. Reading a key forgives what people do when they copy one: lower case, missing or extra
 * hyphens and spaces, and the look-alikes I/L (→ 1) and O (→ 0). Keys are found by the SHA-256 of their
 * normal form; 125 random bits make that hash safe to keep without a secret.
 */
public final class LicenseKey {
    static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final int LENGTH = 25;
    private static final int BLOCK = 5;
    private static final SecureRandom RANDOM = new SecureRandom();

    private LicenseKey() {}

    public static String generate() {
        StringBuilder key = new StringBuilder(LENGTH + LENGTH / BLOCK);
        for (int i = 0; i < LENGTH; i++) {
            if (i > 0 && i % BLOCK == 0) key.append('-');
            key.append(ALPHABET.charAt(RANDOM.nextInt(32)));
        }
        return key.toString();
    }

    /** The canonical form ({@code XXXXX-XXXXX-…}), or empty when the text cannot be a key. */
    public static Optional<String> normalize(String text) {
        if (text == null || text.length() > 64) return Optional.empty();
        StringBuilder chars = new StringBuilder(LENGTH);
        for (int i = 0; i < text.length(); i++) {
            char c = Character.toUpperCase(text.charAt(i));
            if (c == '-' || c == ' ') continue;
            if (c == 'I' || c == 'L') c = '1';
            else if (c == 'O') c = '0';
            if (ALPHABET.indexOf(c) < 0) return Optional.empty();
            chars.append(c);
        }
        if (chars.length() != LENGTH) return Optional.empty();
        for (int i = LENGTH - BLOCK; i > 0; i -= BLOCK) chars.insert(i, '-');
        return Optional.of(chars.toString());
    }

    /** A key's last block as typed into a search (five characters, forgiving as {@link #normalize}), or empty. */
    public static Optional<String> normalizeBlock(String text) {
        Optional<String> whole = normalize(text);
        if (whole.isPresent()) return whole.map(LicenseKey::suffix);
        if (text == null || text.length() != BLOCK) return Optional.empty();
        StringBuilder chars = new StringBuilder(BLOCK);
        for (int i = 0; i < BLOCK; i++) {
            char c = Character.toUpperCase(text.charAt(i));
            if (c == 'I' || c == 'L') c = '1';
            else if (c == 'O') c = '0';
            if (ALPHABET.indexOf(c) < 0) return Optional.empty();
            chars.append(c);
        }
        return Optional.of(chars.toString());
    }

    public static String hash(String normalizedKey) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(normalizedKey.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The hash of the key's normal form, or null when the text cannot be a key (every spelling of a key, one hash). */
    public static String hashOf(String text) {
        Optional<String> normal = normalize(text);
        return normal.isEmpty() ? null : hash(normal.get());
    }

    /** The last block, which invoices and events show instead of the whole key. */
    public static String suffix(String normalizedKey) {
        return normalizedKey.substring(normalizedKey.length() - BLOCK);
    }
}
