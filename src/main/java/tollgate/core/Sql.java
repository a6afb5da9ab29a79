package tollgate.core;

import java.util.Collections;

/** Small pieces of SQL text that several stores need. */
public final class Sql {
    private Sql() {}

    /** {@code ?, ?, ?} — the bind markers of an {@code in (…)} list of {@code count} values. */
    public static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }
}
