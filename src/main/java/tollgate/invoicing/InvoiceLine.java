package tollgate.invoicing;

import java.time.Instant;

/**
 * One line of an invoice: what it is for (SPEC §4: plan, license key suffix, site, period, days, quantity)
 * and its amount in minor units, rounded half-even once. {@code kind}: {@code license} (a license's active
 * days in a month), {@code subscription} (a flat or seats plan's period, in advance), {@code seats}
 * (seats above the included ones), {@code proration} (a seat increase during a period), {@code usage}
 * (metered usage, in arrears). Fields that do not apply are null.
 */
public record InvoiceLine(String kind, String description, String plan, String subscription, String license,
                          String keySuffix, String siteUrl, Instant periodStart, Instant periodEnd, long quantity,
                          Integer days, long amount) {
    /**
     * The most one line may carry, in minor units: 10^14. The price caps keep every line of a license, flat or seats
     * plan below it (at most 1,000,000 seats × 99,999,999); a usage cycle is checked against it when it is billed. So
     * an invoice total could pass a {@code long} only with more than 92,000 lines at this maximum.
     */
    public static final long MAX_AMOUNT = 100_000_000_000_000L;

    /** The most characters a description may have: its column is {@code varchar(500)}. */
    public static final int MAX_DESCRIPTION = 500;

    /**
     * {@code text} as it fits in {@code max} characters: unchanged when it does, else cut and ended with "…". Charge
     * sources put text a caller chose (a site URL, a plan's name) into descriptions this way, so that no input
     * accepted earlier can make a billing run fail later. Never cuts a surrogate pair in two.
     */
    public static String shortened(String text, int max) {
        if (max < 1) throw new IllegalArgumentException("no room for any text: " + max);
        if (text.length() <= max) return text;
        int end = max - 1;
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) end--;
        return text.substring(0, end) + "…";
    }
}
