package tollgate.billing;

import java.time.Instant;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import tollgate.accounts.Accounts;
import tollgate.charges.ChargeSource;
import tollgate.charges.Charges;
import tollgate.tenants.Ctx;
import tollgate.tenants.Tenant;

/**
 * A time zone that waited for the license month in progress ({@code pending_timezone}) takes effect when that month
 * closes: at 00:00 on the 1st in the old zone, after the license run has billed the month in it. The next month is
 * then counted in the new zone and billed at 00:00 on the 1st after it, in the new zone. Registered after the
 * license source, it bills nothing itself.
 */
public final class ZoneChangeAtMonthEnd implements ChargeSource {
    private final Accounts accounts;
    private final BillingSchedule schedule;

    public ZoneChangeAtMonthEnd(Accounts accounts, BillingSchedule schedule) {
        this.accounts = accounts;
        this.schedule = schedule;
    }

    @Override
    public Charges dueAt(Ctx ctx, Account account) {
        dueAtAll(ctx, List.of(account));
        return Charges.NONE;
    }

    @Override
    public Map<String, Charges> dueAtAll(Ctx ctx, List<Account> billed) {
        Instant at = ctx.now();
        Map<String, ZoneId> closing = new java.util.HashMap<>();
        for (Account a : billed) {
            ZonedDateTime local = at.atZone(a.zone());
            if (local.getDayOfMonth() == 1 && local.toLocalTime().equals(LocalTime.MIDNIGHT)) closing.put(a.id(), a.zone());
        }
        if (closing.isEmpty()) return Map.of();
        accounts.applyPendingZones(ctx, List.copyOf(closing.keySet())).forEach((accountId, zone) -> {
            YearMonth next = YearMonth.from(at.atZone(closing.get(accountId)));
            // The month that starts now, counted in the new zone, is billed at the 1st after it there.
            schedule.schedule(ctx.tx(), ctx.tenantId(), accountId, next.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant());
        });
        return Map.of();
    }
}
