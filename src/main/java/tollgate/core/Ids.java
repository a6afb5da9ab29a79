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
    private static final long RANDOM_BOUND = 4_738_381_338_321_616_896L; // 36^12
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
        // Twelve random base-36 digits from one 63-bit draw (36^12 < 2^63), not one draw per digit: the billing run
        // makes a dozen ids per invoice and each draw is a locked read of the system's random source.
        long random = randomBelow36To12();
        for (int i = out.length - 1; i >= 10; i--) {
            out[i] = ALPHABET[(int) (random % 36)];
            random /= 36;
        }
        return prefix + "_" + new String(out);
    }

    /** Uniform in [0, 36^12): 63 random bits, read again when they are out of range (about every other time). */
    private static long randomBelow36To12() {
        byte[] b = new byte[8];
        while (true) {
            RANDOM.nextBytes(b);
            long v = 0;
            for (byte x : b) v = (v << 8) | (x & 0xff);
            v >>>= 1;
            if (v < RANDOM_BOUND) return v;
        }
    }

    public static boolean looksLike(String prefix, String id) {
        return id != null && id.startsWith(prefix + "_") && id.length() <= 40;
    }
}
