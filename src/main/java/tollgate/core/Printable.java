package tollgate.core;

import java.util.regex.Pattern;

/**
 * Whether a name or an address line shows as it is stored: no control characters (NUL, tab, line breaks, C1 controls)
 * and none of the bidirectional overrides and isolates that make a text read otherwise ({@code "\u202Eevil"} shows as
 * "live"), on a page, in an e-mail or on a printed invoice.
 */
public final class Printable {
    private static final Pattern HIDDEN = Pattern.compile("[\\p{Cc}\\u202A-\\u202E\\u2066-\\u2069]");

    private Printable() {}

    public static boolean onOneLine(String value) {
        return value == null || !HIDDEN.matcher(value).find();
    }
}
