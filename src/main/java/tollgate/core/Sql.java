package tollgate.core;

import java.util.Collections;

/** Small pieces of SQL text that several stores need. */
public final class Sql {
    private Sql() {}

    /** {@code ?, ?, ?} — the bind markers of an {@code in (…)} list of {@code count} values. */
    public static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }

    /** The bind values of a statement whose {@code in (…)} list of {@code values} comes after {@code before}. */
    public static Object[] args(java.util.List<?> values, Object... before) {
        Object[] all = java.util.Arrays.copyOf(before, before.length + values.size());
        for (int i = 0; i < values.size(); i++) all[before.length + i] = values.get(i);
        return all;
    }

    /**
     * A {@code like … escape '!'} pattern for "contains {@code text}, any case" against a lower-cased column: the text
     * lower-cased, its {@code !}, {@code %} and {@code _} escaped, between two {@code %}.
     */
    public static String containsPattern(String text) {
        return "%" + text.toLowerCase(java.util.Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    }
}
