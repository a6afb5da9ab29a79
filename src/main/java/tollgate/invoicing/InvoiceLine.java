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
                          Integer days, long amount) {}
