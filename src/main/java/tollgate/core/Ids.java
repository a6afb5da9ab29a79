package tollgate.core;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * Prefixed, time-ordered ids ({@code acct_0mh2k1x9z4p7q3r8s2t6v}): ten digits of milliseconds, then twelve random ones.
 * Lower-case base36 only, so that PostgreSQL's collation and H2 sort them alike and lists can page by id. Within a
 * process each id sorts after the one made before it, also in the same millisecond (the random part then goes up by a
 * random step, as monotonic ULIDs do): a list shows what one request made in the order it was made. Ids of different
 * processes in the same millisecond interleave at random.
 */
public final class Ids {
    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long RANDOM_BOUND = 4_738_381_338_321_616_896L; // 36^12
    // Ids only need to sort roughly by creation; they are not business time, so the wall clock is fine.
    private static final Clock WALL = Clock.systemUTC();

    /** The last id's millisecond and random part, for the next to sort after it. */
    private static long lastMillis;
    private static long lastRandom;

    private Ids() {}

    public static String next(String prefix) {
        char[] out = new char[22];
        long draw = randomBelow36To12();
        long millis;
        long random;
        synchronized (Ids.class) {
            millis = WALL.millis();
            random = draw;
            if (millis <= lastMillis) {
                // The same millisecond (or the clock stepped back): after the last id, by a step of up to 2^32.
                millis = lastMillis;
                random = lastRandom + 1 + (draw & 0xffff_ffffL);
                if (random >= RANDOM_BOUND) {
                    millis++;
                    random = draw;
                }
            }
            lastMillis = millis;
            lastRandom = random;
        }
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (millis % 36)];
            millis /= 36;
        }
        // Twelve random base-36 digits from one 63-bit draw (36^12 < 2^63), not one draw per digit: the billing run
        // makes a dozen ids per invoice and each draw is a locked read of the system's random source.
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
