package tollgate.core;

import java.util.regex.Pattern;

/**
 * What Tollgate takes as an e-mail address, everywhere one is typed or sent (accounts, the tenant's company and
 * sender, staff, the portal's users and invitations): a local part of at most 64 characters of letters, digits and
 * {@code !#$%&'*+/=?^_`{|}~-}, in dot-separated runs; {@code @}; a domain of at most 253 characters, two or more labels of
 * letters, digits, underscores and inner hyphens (DNS allows the underscore where host names do not), each at most 63 long. Letters include non-Latin ones (internationalised addresses).
 * No quotes, spaces, angle brackets or control characters: the rare addresses that need them are refused rather than
 * a header or a page made to carry them.
 */
public final class EmailAddress {
    public static final int MAX_LENGTH = 320;
    private static final String ATOM = "[\\p{L}\\p{N}!#$%&'*+/=?^_`{|}~-]+";
    private static final String LABEL = "[\\p{L}\\p{N}_](?:[\\p{L}\\p{N}_-]{0,61}[\\p{L}\\p{N}_])?";
    private static final Pattern ADDRESS = Pattern.compile("(" + ATOM + "(?:\\." + ATOM + ")*)@((?:" + LABEL + "\\.)+" + LABEL + ")");

    private EmailAddress() {}

    /** Whether {@code value}, without its surrounding blanks, is such an address. */
    public static boolean valid(String value) {
        if (value == null || value.length() > MAX_LENGTH) return false;
        var m = ADDRESS.matcher(value.strip());
        return m.matches() && m.group(1).length() <= 64 && m.group(2).length() <= 253;
    }
}
