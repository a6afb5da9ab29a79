package tollgate.core;

import java.util.regex.Pattern;

/**
 * Whether a name or an address line shows as it is stored: no control characters (NUL, tab, line breaks, C1 controls)
 * and none of the bidirectional overrides and isolates that make a text read otherwise ({@code "\u202Eevil"} shows as
 * "live"), on a page, in an e-mail or on a printed invoice; and a URL, not even a direction mark.
 */
public final class Printable {
    private static final String CONTROLS_AND_OVERRIDES = "\\p{Cc}\\u202A-\\u202E\\u2066-\\u2069";
    private static final Pattern HIDDEN = Pattern.compile("[" + CONTROLS_AND_OVERRIDES + "]");
    /** The same, and the invisible direction marks: left-to-right, right-to-left and the Arabic letter mark. */
    private static final Pattern HIDDEN_OR_MARK = Pattern.compile("[" + CONTROLS_AND_OVERRIDES + "\\u200E\\u200F\\u061C]");

    private Printable() {}

    public static boolean onOneLine(String value) {
        return value == null || !HIDDEN.matcher(value).find();
    }

    /**
     * {@link #onOneLine}, and no direction mark either: for a URL, which is compared character by character
     * and never needs one, where a name written in a right-to-left script may hold one (decision 090).
     */
    public static boolean asAddress(String value) {
        return value == null || !HIDDEN_OR_MARK.matcher(value).find();
    }
}
