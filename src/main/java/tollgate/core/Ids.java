package tollgate.core;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * Prefixed, roughly time-ordered ids ({@code acct_0mh2k1x9z4p7q3r8s2t6v}). Lower-case base36 only, so
 * that PostgreSQL's collation and H2 sort them alike and lists can page by id.
 */
public final class Ids {
    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    // Ids only need to sort roughly by creation; they are not business time, so the wall clock is fine.
    private static final Clock WALL = Clock.systemUTC();

    private Ids() {}

    public static String next(String prefix) {
        char[] out = new char[22];
        long millis = WALL.millis();
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (millis % 36)];
            millis /= 36;
        }
        for (int i = 10; i < out.length; i++) out[i] = ALPHABET[RANDOM.nextInt(36)];
        return prefix + "_" + new String(out);
    }

    public static boolean looksLike(String prefix, String id) {
        return id != null && id.startsWith(prefix + "_") && id.length() <= 40;
    }
}
