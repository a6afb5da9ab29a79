package tollgate.billing;

import java.time.Instant;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import tollgate.invoicing.InvoiceLine;
import tollgate.tenants.Tenant;

/**
 * SPEC §2 license plans: in arrears for each calendar month, invoiced at 00:00 on the 1st in the account's
 * time zone, one line per license with its site, active days and amount. Issuing a license schedules the
 * account's next 1st; each month's run schedules the following 1st while the account has live licenses.
 */
public final class MonthlyLicenseBilling implements ChargeSource {
    /** A license as billing sees it. */
    public record LicenseSpan(String id, String plan, String keySuffix, String siteUrl, Instant issuedAt, Instant revokedAt) {}

    /** The plan's name and monthly amount per license. */
    public record LicensePrice(String name, long amount) {}

    /** What billing reads of licensing and the catalog. */
    public interface Licenses {
        /** The account's licenses whose [issued, revoked) overlaps [from, to). */
        List<LicenseSpan> overlapping(DSLContext tx, String tenantId, String accountId, Instant from, Instant to);

        boolean anyLive(DSLContext tx, String tenantId, String accountId);

        Optional<LicensePrice> price(DSLContext tx, String tenantId, String planId);
    }

    private final Licenses licenses;
    private final BillingSchedule schedule;

    public MonthlyLicenseBilling(Licenses licenses, BillingSchedule schedule) {
        this.licenses = licenses;
        this.schedule = schedule;
    }

    /** The first instant at which a license issued at {@code at} is billed: 00:00 on the next 1st. */
    public static Instant nextFirstOfMonth(Instant at, ZoneId zone) {
        ZonedDateTime local = at.atZone(zone);
        return YearMonth.from(local).plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
    }

    /** Licensing calls this when it issues licenses to an account. */
    public void licensesIssued(DSLContext tx, String tenantId, String accountId, ZoneId zone, Instant at) {
        schedule.schedule(tx, tenantId, accountId, nextFirstOfMonth(at, zone));
    }

    @Override
    public Charges dueAt(DSLContext tx, Tenant tenant, Account account, Instant at) {
        ZonedDateTime local = at.atZone(account.zone());
        if (local.getDayOfMonth() != 1 || !local.toLocalTime().equals(LocalTime.MIDNIGHT)) return Charges.NONE;
        YearMonth month = YearMonth.from(local).minusMonths(1);
        Instant from = month.atDay(1).atStartOfDay(account.zone()).toInstant();
        List<InvoiceLine> lines = new ArrayList<>();
        Map<String, Optional<LicensePrice>> prices = new HashMap<>();
        for (LicenseSpan l : licenses.overlapping(tx, tenant.id(), account.id(), from, at)) {
            int days = Proration.activeDays(l.issuedAt(), l.revokedAt(), month, account.zone());
            if (days == 0) continue;
            LicensePrice price = prices.computeIfAbsent(l.plan(), p -> licenses.price(tx, tenant.id(), p)).orElseThrow();
            long amount = Proration.share(price.amount(), days, month.lengthOfMonth());
            String site = l.siteUrl() == null ? "no site" : l.siteUrl();
            lines.add(new InvoiceLine("license", price.name() + " — license …" + l.keySuffix() + " (" + site + "), "
                    + days + " of " + month.lengthOfMonth() + " days of " + month,
                    l.plan(), null, l.id(), l.keySuffix(), l.siteUrl(), from, at, 1, days, amount));
        }
        if (licenses.anyLive(tx, tenant.id(), account.id())) schedule.schedule(tx, tenant.id(), account.id(), nextFirstOfMonth(at, account.zone()));
        return lines.isEmpty() ? Charges.NONE : new Charges(lines, List.of());
    }
}
