package tollgate.billing;

import java.time.Instant;
import org.jooq.DSLContext;
import tollgate.tenants.Ctx;

/**
 * How capabilities ask for an account to be billed. One timeline row per account and billing instant
 * (kind {@code billing.run}, ref the account id): scheduling the same instant twice is one row, so
 * everything due for an account at one instant lands on one invoice.
 */
public interface BillingSchedule {
    String JOB = "billing.run";

    /** Bill the account at {@code at} (a row on the timeline; nothing happens now). */
    void schedule(DSLContext tx, String tenantId, String accountId, Instant at);

    /** Bill these accounts at {@code at}, in one round trip. */
    void scheduleAll(DSLContext tx, String tenantId, java.util.List<String> accountIds, Instant at);

    /** Bill the account at {@code ctx.now()} now, inside the caller's transaction (e.g. a subscription paid in advance at signup). */
    void billNow(Ctx ctx, String accountId);

    /** {@link #billNow} for many accounts at once (requests run together, decision 069); one by one unless told better. */
    default void billNowAll(Ctx ctx, java.util.List<String> accountIds) {
        for (String accountId : accountIds) billNow(ctx, accountId);
    }

    /**
     * {@link #billNowAll} where {@code opened} are accounts the caller's transaction opened (a signup with its account,
     * decision 073); by default they are billed as any other.
     */
    default void billNowAll(Ctx ctx, java.util.List<String> accountIds, java.util.List<tollgate.accounts.Account> opened) {
        java.util.List<String> all = new java.util.ArrayList<>(accountIds);
        for (tollgate.accounts.Account a : opened) all.add(a.id());
        billNowAll(ctx, all);
    }
}
