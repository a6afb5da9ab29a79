package tollgate.webhooks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import tollgate.core.HostAndPort;

/**
 * Where a tenant's webhooks may go. A live tenant's URL is {@code https} and every address its host resolves to is a
 * public one: not loopback, private (RFC 1918, unique-local IPv6), link-local (the 169.254.169.254 metadata service among
 * them), carrier-grade NAT, unspecified, multicast or reserved. A test tenant may also use {@code http} and loopback
 * (a receiver on the developer's machine); never the other ranges. The check runs when a URL is given and again before
 * every delivery, on the addresses the connection then uses, so a name that later resolves elsewhere (DNS rebinding)
 * is refused at that point. An empty URL, a port outside 1–65535, a host name no DNS holds (over 253 characters, a
 * label over 63) and a control or text-direction character are refused as {@code url_invalid} (decision 090).
 */
public final class Destinations {
    public static final int MAX_URL_LENGTH = 2048;

    private Destinations() {}

    /** Why a URL or an address is refused; {@link #code} is the API's problem code. */
    public static final class Refused extends Exception {
        public final String code;

        Refused(String code, String message) {
            super(message);
            this.code = code;
        }
    }

    /** The URL as a delivery target, checked for its form (not yet its addresses); an internationalised host in ASCII. */
    public static URI parse(String url, boolean testMode) throws Refused {
        if (url.isBlank()) throw new Refused("url_invalid", "'url' is empty: give the URL webhooks are to be sent to");
        if (!tollgate.core.Printable.asAddress(url))
            throw new Refused("url_invalid", "'url' must not hold control or text-direction characters");
        if (url.length() > MAX_URL_LENGTH) throw new Refused("url_invalid", "'url' must be at most " + MAX_URL_LENGTH + " characters");
        URI uri;
        try {
            uri = new URI(tollgate.core.IdnHost.toAscii(url));
        } catch (URISyntaxException e) {
            throw new Refused("url_invalid", "'url' is not a valid URL: " + e.getReason());
        } catch (IllegalArgumentException e) {
            throw new Refused("url_invalid", "'url' names a host that is not a domain name");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(testMode && scheme.equals("http")))
            throw new Refused("url_not_https", testMode ? "'url' must be an http or https URL"
                    : "A live tenant's webhook URL must use https");
        if (uri.getHost() == null || uri.getHost().isEmpty()) throw new Refused("url_invalid", "'url' must name a host");
        if (!HostAndPort.portAllowed(uri.getPort()))
            throw new Refused("url_invalid", "'url' names port " + uri.getPort() + "; a port is 1 to 65535");
        if (!HostAndPort.nameFits(uri.getHost()))
            throw new Refused("url_invalid", "'url' names a host longer than 253 characters or with a label longer than 63");
        if (uri.getRawUserInfo() != null) throw new Refused("url_invalid", "'url' must not carry a user name or password");
        if (uri.getRawFragment() != null) throw new Refused("url_invalid", "'url' must not have a fragment");
        return uri;
    }

    /** The host's addresses, every one of them allowed, or why not. */
    public static List<InetAddress> addresses(URI uri, boolean testMode) throws Refused {
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        InetAddress[] all;
        try {
            all = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new Refused("url_unresolvable", "The host '" + host + "' does not resolve");
        }
        for (InetAddress a : all) {
            if (!allowed(a, testMode))
                throw new Refused("url_address_refused", "The host '" + host + "' resolves to " + a.getHostAddress()
                        + ", a loopback, private, link-local or reserved address; webhooks go to public addresses only");
        }
        return List.of(all);
    }

    static boolean allowed(InetAddress a, boolean testMode) {
        if (a.isLoopbackAddress()) return testMode;
        if (a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress() || a.isMulticastAddress()) return false;
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) return publicV4(b);
        if (a instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) return false;                       // fc00::/7 unique local
            if (embedsV4(b, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff}) // ::ffff:a.b.c.d
                    || embedsV4(b, new byte[] {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0})  // 64:ff9b::/96 NAT64
                    || embedsV4(b, new byte[12])) {                        // ::a.b.c.d (deprecated compatible form)
                byte[] v4 = java.util.Arrays.copyOfRange(b, 12, 16);
                return publicV4(v4) && !(v4[0] == 127 && !testMode) && v4[0] != 0;
            }
            if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x01 && b[2] == 0x0d && (b[3] & 0xff) == 0xb8) return false; // 2001:db8::/32 documentation
            return true;
        }
        return false;
    }

    private static boolean embedsV4(byte[] v6, byte[] prefix) {
        for (int i = 0; i < 12; i++) if (v6[i] != prefix[i]) return false;
        return true;
    }

    private static boolean publicV4(byte[] b) {
        int o0 = b[0] & 0xff, o1 = b[1] & 0xff, o2 = b[2] & 0xff;
        if (o0 == 0 || o0 == 10 || o0 == 127) return false;            // "this network", private, loopback
        if (o0 == 100 && o1 >= 64 && o1 <= 127) return false;          // 100.64/10 carrier-grade NAT
        if (o0 == 169 && o1 == 254) return false;                      // link-local, the metadata service
        if (o0 == 172 && o1 >= 16 && o1 <= 31) return false;           // private
        if (o0 == 192 && o1 == 168) return false;                      // private
        if (o0 == 192 && o1 == 0 && (o2 == 0 || o2 == 2)) return false; // IETF protocol assignments, documentation
        if (o0 == 198 && (o1 == 18 || o1 == 19)) return false;         // benchmarking
        if (o0 == 198 && o1 == 51 && o2 == 100) return false;          // documentation
        if (o0 == 203 && o1 == 0 && o2 == 113) return false;           // documentation
        return o0 < 224;                                               // multicast, reserved, broadcast
    }
}
