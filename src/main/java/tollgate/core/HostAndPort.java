package tollgate.core;

/**
 * What an address's host and port may be, wherever Tollgate takes an address (a site's URL, a webhook endpoint's):
 * {@link java.net.URI} takes any digits as a port ({@code :0}, {@code :99999}) and a host name of any length, neither of
 * which names a place anything could be reached at (decision 090).
 */
public final class HostAndPort {
    /** The longest host name (RFC 1035, without a trailing dot), and the longest of its labels. */
    public static final int MAX_NAME = 253;
    public static final int MAX_LABEL = 63;

    private HostAndPort() {}

    /** A port from 1 to 65535, or none given ({@link java.net.URI#getPort()}'s -1). */
    public static boolean portAllowed(int port) {
        return port == -1 || (port >= 1 && port <= 65_535);
    }

    /** A host in its ASCII form (an internationalised name converted first) of at most 253 characters, no label over 63. */
    public static boolean nameFits(String asciiHost) {
        String name = asciiHost.endsWith(".") ? asciiHost.substring(0, asciiHost.length() - 1) : asciiHost;
        if (name.length() > MAX_NAME) return false;
        for (String label : name.split("\\.", -1)) if (label.length() > MAX_LABEL) return false;
        return true;
    }
}
