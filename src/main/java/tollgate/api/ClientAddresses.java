package tollgate.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Who is calling, for the sites' rate limits. {@code X-Forwarded-For} is believed only from the proxies named in
 * {@code TOLLGATE_TRUSTED_PROXIES} (addresses or CIDRs), and then only as far as those proxies wrote it: the caller is
 * the rightmost address that is not one of them (anything left of it the caller may have written itself). IPv6
 * callers are counted by their /64, the block one subscriber gets, so rotating addresses within it does not help.
 */
public final class ClientAddresses {
    private record Block(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) return false;
            int whole = prefix / 8;
            for (int i = 0; i < whole; i++) if (address[i] != network[i]) return false;
            int rest = prefix % 8;
            if (rest == 0) return true;
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[whole] & mask) == (network[whole] & mask);
        }
    }

    public static final ClientAddresses NONE = new ClientAddresses(List.of());

    private final List<Block> trusted;

    private ClientAddresses(List<Block> trusted) {
        this.trusted = trusted;
    }

    /** {@code "10.0.0.0/8, 192.168.1.7, fd00::/8"}; null or blank trusts nobody. */
    public static ClientAddresses parse(String csv) {
        if (csv == null || csv.isBlank()) return NONE;
        List<Block> blocks = new ArrayList<>();
        for (String part : csv.split(",")) {
            String item = part.strip();
            if (item.isEmpty()) continue;
            int slash = item.indexOf('/');
            byte[] address = literal(slash < 0 ? item : item.substring(0, slash));
            if (address == null) throw invalid(item);
            int prefix = address.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(item.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw invalid(item);
                }
                if (prefix < 0 || prefix > address.length * 8) throw invalid(item);
            }
            blocks.add(new Block(address, prefix));
        }
        return new ClientAddresses(List.copyOf(blocks));
    }

    /**
     * The caller's address: the peer's, or when the peer is a trusted proxy, the rightmost {@code X-Forwarded-For}
     * entry that is not a trusted proxy (the leftmost when every one is).
     */
    public String client(String peer, String forwardedFor) {
        if (trusted.isEmpty() || forwardedFor == null || !isTrusted(peer)) return peer;
        String[] hops = forwardedFor.split(",");
        String candidate = peer;
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (literal(hop) == null) return candidate; // garbage: believe no further left
            candidate = hop;
            if (!isTrusted(hop)) return hop;
        }
        return candidate;
    }

    /** The rate-limit bucket of an address: an IPv4 address itself, an IPv6 address its /64. */
    public static String bucket(String address) {
        if (address == null || address.indexOf(':') < 0) return address; // IPv4 (the common case): no parsing
        byte[] bytes = literal(address);
        if (bytes == null) return address;
        if (bytes.length == 4) return address; // an IPv4-mapped IPv6 address counts as its IPv4 address
        return java.util.HexFormat.of().formatHex(bytes, 0, 8) + "::/64";
    }

    /** Whether {@code peer} (an IP literal, as the socket names it) is one of the trusted proxies. */
    public boolean trusts(String peer) {
        return !trusted.isEmpty() && isTrusted(peer);
    }

    private boolean isTrusted(String address) {
        byte[] bytes = literal(address);
        if (bytes == null) return false;
        for (Block b : trusted) if (b.contains(bytes)) return true;
        return false;
    }

    private static final java.util.regex.Pattern LITERAL = java.util.regex.Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}|\\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[0-9A-Za-z]+)?]?");

    /** The bytes of an IP literal, or null: never a DNS lookup (only text that is already an address reaches getByName). */
    static byte[] literal(String text) {
        if (text == null || text.isEmpty() || text.length() > 64 || !LITERAL.matcher(text).matches()) return null;
        String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        try {
            return InetAddress.getByName(bare).getAddress();
        } catch (UnknownHostException | IllegalArgumentException e) {
            return null;
        }
    }

    private static IllegalArgumentException invalid(String item) {
        return new IllegalArgumentException("TOLLGATE_TRUSTED_PROXIES: '" + item + "' is not an address or a CIDR block (like 10.0.0.0/8)");
    }
}
