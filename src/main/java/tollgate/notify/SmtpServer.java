package tollgate.notify;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where mail goes, from {@code TOLLGATE_SMTP_URL}: {@code smtp://user:password@host:587} (STARTTLS when the server
 * offers it; {@code ?starttls=required} refuses to send without it) or {@code smtps://user:password@host:465} (TLS from
 * the first byte). User and password are percent-decoded. A URL that does not parse is a start-up error.
 */
public record SmtpServer(String host, int port, boolean ssl, boolean startTlsRequired, String user, String password) {

    public static SmtpServer parse(String url) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw bad("it does not parse (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("smtp") && !scheme.equals("smtps")) throw bad("the scheme must be smtp:// or smtps://");
        if (uri.getHost() == null || uri.getHost().isBlank()) throw bad(whyNoHost(uri.getRawAuthority()));
        if (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) throw bad("it has a path; give host and port only");
        // URI takes any digits as a port: :99999 was accepted, and every mail then failed with "port out of range".
        if (!tollgate.core.HostAndPort.portAllowed(uri.getPort())) throw bad("the port " + uri.getPort() + " is not from 1 to 65535");
        boolean ssl = scheme.equals("smtps");
        int port = uri.getPort() < 0 ? (ssl ? 465 : 587) : uri.getPort();
        boolean required = false;
        if (uri.getQuery() != null) {
            for (String pair : uri.getQuery().split("&")) {
                if (pair.equals("starttls=required")) required = true;
                else if (!pair.equals("starttls=optional")) throw bad("unknown option '" + pair + "' (starttls=required|optional)");
            }
        }
        String user = null;
        String password = null;
        String info = uri.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
        }
        return new SmtpServer(uri.getHost(), port, ssl, required, user, password);
    }

    /** What keeps a server's name from being read out of {@code authority} ({@code user:password@host:port}). */
    private static String whyNoHost(String authority) {
        if (authority == null || authority.isBlank()) return "it names no host";
        if (authority.indexOf('@') != authority.lastIndexOf('@'))
            return "the user or password holds an '@': write it as %40 (any of : / ? # [ ] @ percent-encoded)";
        String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
        int colon = hostPort.lastIndexOf(':');
        if (hostPort.isEmpty() || colon == 0) return "it names no host";
        if (colon >= 0 && !hostPort.substring(colon + 1).matches("\\d{1,5}"))
            return hostPort.substring(colon + 1).matches("\\d+") ? "the port " + hostPort.substring(colon + 1) + " is not from 1 to 65535"
                    : "the port '" + hostPort.substring(colon + 1) + "' is not a number";
        return "'" + hostPort + "' is not a host name";
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static IllegalArgumentException bad(String why) {
        return new IllegalArgumentException("TOLLGATE_SMTP_URL is not a mail server URL: " + why
                + " (like smtp://user:password@mail.example.com:587 or smtps://user:password@mail.example.com:465)");
    }

    /** Never the password: configurations get printed. */
    @Override
    public String toString() {
        return (ssl ? "smtps://" : "smtp://") + (user == null ? "" : user + ":…@") + host + ":" + port;
    }
}
