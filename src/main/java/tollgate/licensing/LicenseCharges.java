package tollgate.licensing;

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
import tollgate.billing.BillingSchedule;
import tollgate.billing.Proration;
import tollgate.charges.ChargeSource;
import tollgate.charges.Charges;
import tollgate.invoicing.InvoiceLine;
import tollgate.tenants.Ctx;
import tollgate.tenants.Tenant;

/**
 * SPEC §2 license plans: in arrears for each calendar month, invoiced at 00:00 on the 1st in the account's
 * time zone, one line per license with its site, active days and amount. Issuing a license schedules the
 * account's next 1st; each month's run schedules the following 1st while the account has live licenses.
 */
public final class LicenseCharges implements ChargeSource, Licensing.IssuedListener {
    /** A license as its charges see it. */
    public record LicenseSpan(String id, String account, String plan, String keySuffix, String siteUrl, Instant issuedAt,
                              Instant revokedAt) {}

    /** The plan's name, monthly amount per license and free days from each license's issue (its trial). */
    public record LicensePrice(String name, long amount, int trialDays) {}

    /** What the charges read of licensing ({@link Licensing#overlapping}) and the catalog. */
    public interface Licenses {
        /** The accounts' licenses whose [issued, revoked) overlaps [from, to), in one query. */
        List<LicenseSpan> overlapping(DSLContext tx, String tenantId, List<String> accountIds, Instant from, Instant to);

        Optional<LicensePrice> price(DSLContext tx, String tenantId, String planId);

        /** One account's licenses overlapping [from, to) with an id after {@code afterId} (null: from the first), in id order. */
        List<LicenseSpan> overlappingPage(DSLContext tx, String tenantId, String accountId, Instant from, Instant to, String afterId,
                                          int limit);

        /** One account's licenses overlapping [from, to), counted by plan, issue and revocation instant (one query). */
        List<SpanGroup> overlappingGroups(DSLContext tx, String tenantId, String accountId, Instant from, Instant to);
    }

    /** {@code count} licenses of one plan issued and revoked at the same instants: each has the same line amount. */
    public record SpanGroup(String plan, Instant issuedAt, Instant revokedAt, int count) {}

    private final Licenses licenses;
    private final BillingSchedule schedule;

    public LicenseCharges(Licenses licenses, BillingSchedule schedule) {
        this.licenses = licenses;
        this.schedule = schedule;
    }

    /** The first instant at which a license issued at {@code at} is billed: 00:00 on the next 1st. */
    public static Instant nextFirstOfMonth(Instant at, ZoneId zone) {
        ZonedDateTime local = at.atZone(zone);
        return YearMonth.from(local).plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
    }

    /** Licensing calls this when it issues licenses to an account. */
    @Override
    public void licensesIssued(DSLContext tx, String tenantId, String accountId, ZoneId zone, Instant at) {
        schedule.schedule(tx, tenantId, accountId, nextFirstOfMonth(at, zone));
    }

    /** The same for several accounts: one statement per next 1st (one for accounts of one zone). */
    @Override
    public void licensesIssuedAll(DSLContext tx, String tenantId, Map<String, ZoneId> accounts, Instant at) {
        Map<Instant, List<String>> byFirst = new java.util.TreeMap<>();
        accounts.forEach((id, zone) -> byFirst.computeIfAbsent(nextFirstOfMonth(at, zone), k -> new java.util.ArrayList<>()).add(id));
        byFirst.forEach((first, ids) -> schedule.scheduleAll(tx, tenantId, ids, first));
    }

    /**
     * Whether the account's license month in progress is counted in its current zone (a license overlaps the month so
     * far): a new zone then waits for the month's end ({@code Accounts.onZoneChange}, wired in {@code Reactions}).
     */
    public boolean monthInProgress(Ctx ctx, tollgate.accounts.Account account) {
        Instant now = ctx.now();
        ZoneId zone = ZoneId.of(account.timezone());
        Instant monthStart = YearMonth.from(now.atZone(zone)).atDay(1).atStartOfDay(zone).toInstant();
        return !licenses.overlapping(ctx.tx(), ctx.tenantId(), List.of(account.id()), monthStart, now.plusMillis(1)).isEmpty();
    }

    @Override
    public Charges dueAt(Ctx ctx, Account account) {
        return dueAtAll(ctx, List.of(account)).getOrDefault(account.id(), Charges.NONE);
    }

    /** One query for the licenses of all the accounts; the next 1st is scheduled for those with live licenses. */
    @Override
    public Map<String, Charges> dueAtAll(Ctx ctx, List<Account> accounts) {
        return due(ctx, accounts, false);
    }

    /**
     * The same months by the same {@link #line} rule for the portal's next-invoice preview (decision 047), without a line
     * per license: licenses of one plan issued and revoked at the same instants have the same active days, hence the same
     * half-even share, so each such group is one line of {@code quantity} licenses for share × count — the sum, to the
     * cent, of the lines {@link #dueAtAll} makes for them (LicenseChargesTest and BillingPreviewTest compare both).
     */
    @Override
    public Map<String, Charges> previewAtAll(Ctx ctx, List<Account> accounts) {
        return due(ctx, accounts, true);
    }

    private Map<String, Charges> due(Ctx ctx, List<Account> accounts, boolean grouped) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        Instant at = ctx.now();
        Map<String, Charges> due = new HashMap<>();
        Map<ZoneId, List<Account>> byZone = new HashMap<>();
        for (Account a : accounts) {
            ZonedDateTime local = at.atZone(a.zone());
            // Only 00:00 on the 1st in the account's zone closes a license month.
            if (local.getDayOfMonth() == 1 && local.toLocalTime().equals(LocalTime.MIDNIGHT))
                byZone.computeIfAbsent(a.zone(), z -> new ArrayList<>()).add(a);
        }
        Map<String, Optional<LicensePrice>> prices = new HashMap<>();
        byZone.forEach((zone, inZone) -> {
            YearMonth month = YearMonth.from(at.atZone(zone)).minusMonths(1);
            Instant from = month.atDay(1).atStartOfDay(zone).toInstant();
            Map<String, List<InvoiceLine>> lines = new HashMap<>();
            List<String> live = new ArrayList<>();
            List<String> ids = inZone.stream().map(Account::id).toList();
            if (grouped) {
                for (String account : ids) {
                    for (SpanGroup g : licenses.overlappingGroups(tx, tenant.id(), account, from, at)) {
                        if (g.revokedAt() == null && !live.contains(account)) live.add(account);
                        LicensePrice price = prices.computeIfAbsent(g.plan(), p -> licenses.price(tx, tenant.id(), p)).orElseThrow();
                        LicenseSpan one = new LicenseSpan(null, account, g.plan(), "", null, g.issuedAt(), g.revokedAt());
                        line(one, price, g.revokedAt(), month, zone, from, at).ifPresent(line -> lines.computeIfAbsent(account,
                                a -> new ArrayList<>()).add(group(line, price, g.count(), month)));
                    }
                }
            }
            for (LicenseSpan l : grouped ? List.<LicenseSpan>of() : licenses.overlapping(tx, tenant.id(), ids, from, at)) {
                if (l.revokedAt() == null && (live.isEmpty() || !live.get(live.size() - 1).equals(l.account()))) live.add(l.account());
                LicensePrice price = prices.computeIfAbsent(l.plan(), p -> licenses.price(tx, tenant.id(), p)).orElseThrow();
                line(l, price, l.revokedAt(), month, zone, from, at)
                        .ifPresent(line -> lines.computeIfAbsent(l.account(), a -> new ArrayList<>()).add(line));
            }
            lines.forEach((account, ls) -> due.put(account, new Charges(ls, List.of())));
            schedule.scheduleAll(tx, tenant.id(), live.stream().distinct().toList(), nextFirstOfMonth(at, zone));
        });
        return due;
    }

    /**
     * The license's line for {@code month} when it ends at {@code until} (its revocation, or for the month so far the
     * present), none for no active day. A plan's trial (SPEC §2: nothing charged) frees each license's first
     * trial_days calendar days: it is billed from the trial's end, by the same active-day rule.
     */
    private static Optional<InvoiceLine> line(LicenseSpan l, LicensePrice price, Instant until, YearMonth month, ZoneId zone,
                                              Instant from, Instant to) {
        Instant billedFrom = l.issuedAt().atZone(zone).plusDays(price.trialDays()).toInstant();
        int days = Proration.activeDays(billedFrom, until, month, zone);
        if (days == 0) return Optional.empty();
        long amount = Proration.share(price.amount(), days, month.lengthOfMonth());
        return Optional.of(new InvoiceLine("license", description(price.name(), l, days, month, span(billedFrom, l.revokedAt(), month, zone)),
                l.plan(), null, l.id(),
                l.keySuffix(), l.siteUrl(), from, to, 1, days, amount));
    }

    /**
     * Where a license's days in {@code month} start or end inside it, so that the line's days can be checked: {@code
     * , first day 2027-03-10} (issued, or its trial over, that day) and {@code , last day 2027-03-19 (revoked)} (a
     * revocation at 00:00 on the 20th bills the 19th last; one later that day bills the 20th too).
     */
    private static String span(Instant billedFrom, Instant revokedAt, YearMonth month, ZoneId zone) {
        StringBuilder s = new StringBuilder();
        java.time.LocalDate first = billedFrom.atZone(zone).toLocalDate();
        if (YearMonth.from(first).equals(month) && first.getDayOfMonth() > 1) s.append(", first day ").append(first);
        if (revokedAt != null) {
            java.time.LocalDate last = revokedAt.minusNanos(1).atZone(zone).toLocalDate();
            if (YearMonth.from(last).equals(month) && last.getDayOfMonth() < month.lengthOfMonth())
                s.append(", last day ").append(last).append(" (revoked)");
        }
        return s.toString();
    }

    /** {@code count} licenses' lines of {@code one}'s amount as one line: "12 × Plan, 27 of 31 days of 2027-03". */
    private static InvoiceLine group(InvoiceLine one, LicensePrice price, int count, YearMonth month) {
        String tail = ", " + one.days() + " of " + month.lengthOfMonth() + " days of " + month;
        String head = count + (count == 1 ? " license of " : " licenses of ");
        return new InvoiceLine("license", head + InvoiceLine.shortened(price.name(), InvoiceLine.MAX_DESCRIPTION - head.length() - tail.length())
                + tail, one.plan(), null, null, null, null, one.periodStart(), one.periodEnd(), count, one.days(),
                Math.multiplyExact(one.amount(), (long) count));
    }

    /**
     * The month in progress up to {@code now}, license by license, as the run will bill it: the days active so far
     * (today included once it has begun) at the same per-day share. The customer portal's "cost per site this month
     * so far" (decision 036); nothing is scheduled or changed.
     */
    public List<InvoiceLine> monthSoFar(Ctx ctx, String accountId, ZoneId zone) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        Instant now = ctx.now();
        YearMonth month = YearMonth.from(now.atZone(zone));
        Instant from = month.atDay(1).atStartOfDay(zone).toInstant();
        Map<String, Optional<LicensePrice>> prices = new HashMap<>();
        List<InvoiceLine> out = new ArrayList<>();
        for (LicenseSpan l : licenses.overlapping(tx, tenant.id(), List.of(accountId), from, now.plusMillis(1))) {
            LicensePrice price = prices.computeIfAbsent(l.plan(), p -> licenses.price(tx, tenant.id(), p)).orElseThrow();
            line(l, price, until(l, now), month, zone, from, now).ifPresent(out::add);
        }
        return out;
    }

    /**
     * {@link #monthSoFar} without a line per license (issue 13: the Billing page of an account with 10,000 licenses): the
     * first {@code shown} lines, and the count and total of all of them from licenses grouped by plan and by their
     * issue and revocation instants. Every license of a group has the same days, so the same half-even share: the total
     * is the sum of the lines {@link #monthSoFar} makes, to the cent (LicenseChargesSummaryTest compares both).
     */
    public tollgate.billing.BillingPreview.MonthSoFar.Summary monthSoFarSummary(DSLContext tx, Tenant tenant, String accountId,
                                                                               ZoneId zone, Instant now, int shown) {
        YearMonth month = YearMonth.from(now.atZone(zone));
        Instant from = month.atDay(1).atStartOfDay(zone).toInstant();
        Instant to = now.plusMillis(1);
        Map<String, Optional<LicensePrice>> prices = new HashMap<>();
        int count = 0;
        long total = 0;
        for (SpanGroup g : licenses.overlappingGroups(tx, tenant.id(), accountId, from, to)) {
            LicensePrice price = prices.computeIfAbsent(g.plan(), p -> licenses.price(tx, tenant.id(), p)).orElseThrow();
            LicenseSpan one = new LicenseSpan(null, accountId, g.plan(), "", null, g.issuedAt(), g.revokedAt());
            Optional<InvoiceLine> line = line(one, price, until(one, now), month, zone, from, now);
            if (line.isPresent()) {
                count += g.count();
                total = Math.addExact(total, Math.multiplyExact(line.get().amount(), (long) g.count()));
            }
        }
        List<InvoiceLine> first = new ArrayList<>();
        String after = null;
        while (first.size() < shown) {
            List<LicenseSpan> page = licenses.overlappingPage(tx, tenant.id(), accountId, from, to, after, shown);
            for (LicenseSpan l : page) {
                LicensePrice price = prices.computeIfAbsent(l.plan(), p -> licenses.price(tx, tenant.id(), p)).orElseThrow();
                if (first.size() < shown) line(l, price, until(l, now), month, zone, from, now).ifPresent(first::add);
            }
            if (page.size() < shown) break;
            after = page.getLast().id();
        }
        return new tollgate.billing.BillingPreview.MonthSoFar.Summary(first, count, total);
    }

    private static Instant until(LicenseSpan l, Instant now) {
        return l.revokedAt() == null || l.revokedAt().isAfter(now) ? now : l.revokedAt();
    }

    /**
     * "Plan — license …SUFFIX (site), 27 of 31 days of 2027-03", with where its days start or end inside the month
     * (", first day 2027-03-05", ", last day 2027-03-19 (revoked)"). A site URL may be far longer than a description
     * (2,000 characters against 500): it is shortened to the room the rest leaves, and the line's {@code site_url}
     * keeps it whole.
     */
    static String description(String planName, LicenseSpan l, int days, YearMonth month, String span) {
        String head = planName + " — license …" + l.keySuffix() + " (";
        String tail = "), " + days + " of " + month.lengthOfMonth() + " days of " + month + span;
        String site = l.siteUrl() == null ? "no site" : l.siteUrl();
        return head + InvoiceLine.shortened(site, InvoiceLine.MAX_DESCRIPTION - head.length() - tail.length()) + tail;
    }
}
