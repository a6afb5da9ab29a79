package tollgate.charges;

import tollgate.tenants.Ctx;

/**
 * A capability that bills (licenses, subscriptions, usage): the one interface between what is owed and the billing
 * run (decision 030). At a billing instant the run asks each source for what is due, inside the run's transaction; a
 * source also moves its own state on (periods, cycles) and schedules its next billing instants through
 * {@code billing.BillingSchedule}. The run hands the drafts to invoicing. Implemented beside each capability
 * ({@code licensing.LicenseCharges}, {@code subscriptions.SubscriptionCharges}, {@code usage.UsageCharges}) and by the
 * billing run's own riders; it lives in a package of its own so that they implement it and billing consumes it without
 * a cycle.
 */
public interface ChargeSource {
    /** What is due for the account at {@code ctx.now()}, the billing instant (the run makes one {@link Ctx} per batch). */
    Charges dueAt(Ctx ctx, Account account);

    /**
     * The same for many accounts due at one instant (the monthly run of a whole tenant). Sources that can
     * answer with a few set-based queries override this; by default it asks account by account. Accounts
     * with nothing due may be left out of the answer.
     */
    default java.util.Map<String, Charges> dueAtAll(Ctx ctx, java.util.List<Account> accounts) {
        java.util.Map<String, Charges> due = new java.util.HashMap<>();
        for (Account account : accounts) {
            Charges charges = dueAt(ctx, account);
            if (!charges.isEmpty()) due.put(account.id(), charges);
        }
        return due;
    }

    /**
     * What {@link #dueAtAll} would answer, for a preview that is rolled back and never issued (the portal's next invoice,
     * decision 036): the same amounts by the same rule, but a source may answer many lines of one amount as one line
     * whose {@code quantity} is their number and whose amount is their sum (decision 047: licensing groups the licenses
     * issued and revoked at the same instants). By default the lines of {@link #dueAtAll} themselves.
     */
    default java.util.Map<String, Charges> previewAtAll(Ctx ctx, java.util.List<Account> accounts) {
        return dueAtAll(ctx, accounts);
    }

    /**
     * Whether asking again at an instant already billed bills nothing twice: the source bills what has come due by its
     * own state (subscriptions' billing dates, usage cycles) and moves that state on. Such sources are asked again when
     * a charge arrives after its instant's invoice was issued (decision 022); the others (licenses: the month ending at
     * a 1st) only once per account and instant.
     */
    default boolean billsOnlyWhatIsOwed() {
        return false;
    }

    /**
     * Whether the source may have something due for an account opened in the run's own transaction (a signup with its
     * account, decision 073): for such an account only rows that transaction wrote exist, which is a subscription and
     * its first period, so only the subscriptions' source says yes; the run does not ask the others about it.
     */
    default boolean billsAccountsOpenedNow() {
        return false;
    }

    /**
     * The account as the run hands it to sources; {@code opened}: opened in the run's own transaction (decision 073),
     * asked only of sources that {@link #billsAccountsOpenedNow}.
     */
    record Account(String id, String currency, java.time.ZoneId zone, boolean opened) {
        public Account(String id, String currency, java.time.ZoneId zone) {
            this(id, currency, zone, false);
        }
    }
}
