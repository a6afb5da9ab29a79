package tollgate.licensing;

import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import tollgate.core.HostAndPort;
import tollgate.core.Printable;
import tollgate.core.Problem;

/**
 * SPEC §3: site URLs are compared in a normal form: scheme and host lower-case, no default port, no
 * trailing slash, an internationalised host in its ASCII form (bücher.example is xn--bcher-kva.example). A URL without a
 * scheme is taken as https (people type "example.com"); a path is kept (a site may live at example.com/shop); user
 * info, query and fragment are refused, and so is what no site's address holds (decision 090): a port outside 1–65535, a
 * host name over 253 characters or with a label over 63 (in its ASCII form), a control or text-direction character
 * anywhere, written as it is or percent-encoded in the path ({@code %00}, {@code %E2%80%AE}).
 */
public final class SiteUrl {
    /**
     * The longest site URL, as given and as normalized (which may add "https://"): as long as browsers take, and
     * within the {@code varchar(2100)} columns it is kept in (a license's site and an invoice line's).
     */
    public static final int MAX_LENGTH = 2000;

    private SiteUrl() {}

    public static String normalize(String field, String input) {
        if (input == null) throw Problem.missing(field);
        String text = input.strip();
        if (text.isEmpty()) throw invalid(field, input);
        if (text.length() > MAX_LENGTH) throw tooLong(field);
        if (!Printable.asAddress(text)) throw unprintable(field);
        if (!text.contains("://")) text = "https://" + text;
        URI uri;
        try {
            uri = new URI(tollgate.core.IdnHost.toAscii(text));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw invalid(field, input);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) throw invalid(field, input);
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) throw invalid(field, input);
        String host = uri.getHost();
        if (host == null || host.isEmpty()) throw invalid(field, input);
        try {
            host = IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw invalid(field, input);
        }
        if (host.endsWith(".")) host = host.substring(0, host.length() - 1);
        if (host.isEmpty() || (!host.contains(".") && !host.equals("localhost") && !host.startsWith("["))) throw invalid(field, input);
        if (!HostAndPort.nameFits(host)) throw invalid(field, input);
        int port = uri.getPort();
        if (!HostAndPort.portAllowed(port)) throw invalid(field, input);
        if (!Printable.asAddress(uri.getPath())) throw unprintable(field);
        boolean defaultPort = port == -1 || (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) path = path.substring(0, path.length() - 1);
        String normal = scheme + "://" + host + (defaultPort ? "" : ":" + port) + path;
        if (normal.length() > MAX_LENGTH) throw tooLong(field);
        return normal;
    }

    private static Problem tooLong(String field) {
        return Problem.invalid(field, "site_url_too_long", "A site URL may have at most " + MAX_LENGTH + " characters (with its scheme)");
    }

    /** Not quoted: the very characters refused would turn the message around where it is shown. */
    private static Problem unprintable(String field) {
        return Problem.invalid(field, "site_url_invalid",
                "A site URL may not hold control or text-direction characters, nor such characters percent-encoded in its path");
    }

    private static Problem invalid(String field, String input) {
        String shown = input.length() > 100 ? input.substring(0, 100) + "…" : input;
        return Problem.invalid(field, "site_url_invalid", "'" + shown + "' is not a site URL such as https://example.com");
    }
}
