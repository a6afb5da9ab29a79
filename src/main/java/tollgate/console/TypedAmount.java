package tollgate.console;

import java.util.regex.Pattern;

/**
 * An amount of money a person typed into a console form, in the currency's units ("9.00", "1,000.50", "-5"), read into
 * minor units. The one reader of amounts for every console form (the catalog's prices, a coupon's amount off, a credit
 * note, a wire payment), so that they all read the same text the same way.
 *
 * <p>A point is the only decimal separator. A comma is read only as a thousands separator, in groups of three after the
 * first digits ("1,000", "12,345.67"); any other comma ("9,00", "1,5", "12,3456") is refused rather than dropped: read
 * as a separator, "9,00" became 900.00 where the person meant 9.00 (a price 100 times too high). More decimals than the
 * currency has are refused, never rounded. Whether zero or a negative amount is allowed is the caller's rule.
 */
final class TypedAmount {
    /** The most digits before the point: more than any price or credit the rules allow, and far from a long's limit. */
    static final int MAX_WHOLE_DIGITS = 12;

    private static final Pattern GROUPED = Pattern.compile("\\d{1,3}(,\\d{3})+(\\.\\d*)?");
    private static final Pattern PLAIN = Pattern.compile("\\d+(\\.\\d*)?");

    private TypedAmount() {}

    /** What the text reads as. */
    sealed interface Reading permits Amount, Refused {}

    /** An amount in minor units (negative when typed with a minus). */
    record Amount(long minor) implements Reading {}

    /** Text that is no amount in this currency, and why. */
    record Refused(Why why) implements Reading {}

    enum Why {
        /** Not a number at all, or too many digits. */
        NOT_AN_AMOUNT,
        /** A comma that is not a thousands separator: most likely a decimal comma ("9,00"). */
        DECIMAL_COMMA,
        /** More decimals than the currency's minor unit has ("10.005" USD, "5.5" JPY). */
        TOO_MANY_DECIMALS
    }

    /** {@code text} in minor units of a currency with {@code digits} decimals (USD 2, JPY 0, BHD 3). */
    static Reading read(String text, int digits) {
        if (text == null) return new Refused(Why.NOT_AN_AMOUNT);
        String t = text.strip();
        boolean negative = t.startsWith("-");
        if (negative) t = t.substring(1).strip();
        if (t.indexOf(',') >= 0) {
            if (!GROUPED.matcher(t).matches()) return new Refused(Why.DECIMAL_COMMA);
            t = t.replace(",", "");
        }
        if (!PLAIN.matcher(t).matches()) return new Refused(Why.NOT_AN_AMOUNT);
        int dot = t.indexOf('.');
        String whole = dot < 0 ? t : t.substring(0, dot);
        String fraction = dot < 0 ? "" : t.substring(dot + 1);
        if (whole.length() > MAX_WHOLE_DIGITS) return new Refused(Why.NOT_AN_AMOUNT);
        if (fraction.length() > digits) return new Refused(Why.TOO_MANY_DECIMALS);
        long minor = Long.parseLong(whole + fraction + "0".repeat(digits - fraction.length()));
        return new Amount(negative ? -minor : minor);
    }

    /**
     * What to tell the person who typed a comma that is not a thousands separator, naming the field ({@code label}): a
     * point writes decimals, a comma only groups thousands (a currency without decimals takes a whole amount).
     */
    static String commaRefused(String label, String currency, int digits) {
        if (digits == 0)
            return "“" + label + "”: a comma only separates thousands, as in 1,000; " + currency.toUpperCase(java.util.Locale.ROOT)
                    + " has no decimals, so enter a whole amount, like 900.";
        return "“" + label + "”: use a point for decimals, like 9." + "0".repeat(digits) + "; a comma only separates thousands, as in 1,000."
                + "5" + "0".repeat(digits - 1) + ".";
    }
}
