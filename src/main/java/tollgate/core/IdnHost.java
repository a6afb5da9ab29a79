package tollgate.core;

import java.net.IDN;

/**
 * A URL whose host is an internationalised domain name ({@code https://bücher.example/shop}) written with the host in
 * its ASCII form ({@code https://xn--bcher-kva.example/shop}), the form DNS and browsers' Host headers use, so that
 * {@link java.net.URI} (which takes ASCII host names only) can parse it and both spellings compare equal.
 */
public final class IdnHost {
    private IdnHost() {}

    /**
     * {@code url} with a non-ASCII host converted (UTS #46 as the JDK has it, STD3 rules); unchanged when the host is
     * ASCII or there is no {@code scheme://} authority. {@link IllegalArgumentException} for a host that is no domain name.
     */
    public static String toAscii(String url) {
        int start = url.indexOf("://");
        if (start < 0) return url;
        start += 3;
        int end = start;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) end++;
        String authority = url.substring(start, end);
        if (authority.chars().allMatch(c -> c < 0x80)) return url;
        int hostStart = authority.lastIndexOf('@') + 1;
        int colon = authority.lastIndexOf(':');
        int hostEnd = colon > hostStart ? colon : authority.length();
        String host = authority.substring(hostStart, hostEnd);
        String ascii = IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES);
        return url.substring(0, start) + authority.substring(0, hostStart) + ascii + authority.substring(hostEnd) + url.substring(end);
    }
}
