package tollgate;

import tollgate.accounts.Accounts;
import tollgate.billing.BillingRun;
import tollgate.accounts.PortalUsers;
import tollgate.dunning.Dunning;
import tollgate.events.EventLog;
import tollgate.idempotency.Idempotency;
import tollgate.invoicing.Invoices;
import tollgate.licensing.LicenseCharges;
import tollgate.licensing.Licensing;
import tollgate.notify.Mailings;
import tollgate.payments.PaymentMethods;
import tollgate.payments.Payments;
import tollgate.payments.Refunds;
import tollgate.subscriptions.Subscriptions;
import tollgate.tenants.Tenants;
import tollgate.timeline.TenantJobs;
import tollgate.timeline.Timeline;
import tollgate.webhooks.Dispatch;
import tollgate.webhooks.Fanout;

/**
 * What happens after what, in one table (decisions 029, 038). A capability that must not import the one reacting to it
 * (invoicing does not know payments, payments does not know dunning or mail) tells of what happened through its
 * listener; every listener and every timeline job is registered here and nowhere else, in the order they run.
 */
final class Reactions {
    private Reactions() {}

    static void wire(Timeline timeline, TenantJobs jobs, Tenants tenants, EventLog events, Idempotency idempotency,
                     BillingRun billing, Accounts accounts, Licensing licensing, LicenseCharges licenseCharges,
                     Invoices invoices, Payments payments, Refunds refunds, Dunning dunning, Mailings mailings,
                     PaymentMethods cards, Subscriptions subscriptions, Dispatch dispatch, Fanout fanout) {
        // ---- events: on X → do Y, Z (inside X's transaction) ----

        // A tenant created → its first idempotency-key purge is scheduled.
        tenants.onCreated(ctx -> Idempotency.scheduleFirstPurge(ctx, timeline));
        // Licenses issued → the account's next 1st is a billing date.
        licensing.onIssued(licenseCharges);
        // A time zone changed while a license month is counted in the old one → the new zone waits for the month's end.
        accounts.onZoneChange(licenseCharges::monthInProgress);
        // Any event appended → its webhook deliveries are fanned out (in the same transaction).
        events.onAppend(fanout);

        // Invoices issued with something due → first payment round (or the due date's row), then the invoice email.
        invoices.onIssue((ctx, open, buyers) -> {
            payments.scheduleFirstRounds(ctx, open);
            mailings.invoicesIssued(ctx, open, buyers);
        });
        // An invoice numbered at its transaction's end (decision 058) → the number where its e-mail's data has a stand-in.
        invoices.onNumbered(mailings::invoiceNumbered);
        // A payment round or payment → failed (or no card): dunning begins; paid: dunning may end, then the receipt.
        // Rounds come several at once when a batch of first charges paid them together (decision 056).
        payments.onRounds((ctx, rounds) -> {
            dunning.afterRounds(ctx, rounds);
            mailings.afterRounds(ctx, rounds);
        });
        // A credit note, voiding or write-off left nothing to pay → dunning may end.
        invoices.onSettled(dunning::settled);
        // Before a credit note, voiding or write-off lowers what is owed → refused while a charge is undecided.
        invoices.onClosing(payments::refuseWhileUndecided);
        // A card attached → its expiry reminder; a subscription created → its trial reminder, and its signup checked.
        cards.onAttached(mailings::cardAttached);
        subscriptions.onCreated(mailings::subscriptionCreated);
        subscriptions.onSignup(dunning::admitSignup);

        // ---- the clock: timeline row kind → job (and what follows when its row dies) ----

        // An account's billing date → the billing run (rows of one instant in batches, side by side).
        timeline.register(BillingRun.JOB, billing.job());
        // Idempotency keys past their retention → purged; a test tenant's webhook retry → sent.
        timeline.register(Idempotency.PURGE_JOB, (tx, due) -> idempotency.purge(tx, due, timeline));
        timeline.register(Dispatch.RETRY_JOB, dispatch.retryJob());

        // A job that charges and dies may leave a charge pending: it is asked about again later.
        // Batches of first charges in three steps, the gateway asked under no lock (decision 043).
        jobs.registerStaged(Payments.CHARGE, (ctx, ref, due) -> payments.firstRound(ctx, ref),
                (ctx, ref, due) -> payments.resolveLater(ctx, ref.invoiceId()), payments.firstCharges());
        jobs.register(Payments.RESOLVE, (ctx, ref, due) -> payments.resolve(ctx, ref.invoiceId()),
                (ctx, ref, due) -> payments.resolveLater(ctx, ref.invoiceId()));
        jobs.register(Payments.OVERDUE, (ctx, ref, due) -> payments.overdue(ctx, ref.invoiceId()));
        jobs.register(Refunds.RESOLVE, (ctx, ref, due) -> refunds.resolve(ctx, ref));
        jobs.register(Dunning.STEP, (ctx, ref, due) -> dunning.runStep(ctx, ref, due.dueAt()),
                (ctx, ref, due) -> payments.resolveLater(ctx, ref.invoiceId()));
        jobs.register(Dunning.PURGE, (ctx, ref, due) -> dunning.purgeBackups(ctx, ref, due.dueAt()));
        jobs.register(Mailings.CARD, (ctx, ref, due) -> mailings.cardExpiring(ctx, ref));
        jobs.register(Mailings.TRIAL, (ctx, ref, due) -> mailings.trialEnding(ctx, ref));
    }

    /**
     * Seats plans with {@code seats_from: portal_users} (decision 039): subscribing counts the account's active portal
     * users; a user accepted, activated or deactivated → the subscription's seats follow (once more, prorated; once
     * fewer, from the next period).
     */
    static void wireSeats(PortalUsers users, Subscriptions subscriptions) {
        subscriptions.countSeatsWith(users::activeCount);
        users.onSeatsChanged(subscriptions::followActiveUsers);
    }

    /**
     * What this process did, for {@code /metrics} (decision 051): invoices issued with something due
     * ({@code tollgate_invoices_issued_total}) and payment rounds by outcome ({@code tollgate_payment_rounds_total}).
     * Counted in the transaction that does the work, so one rolled back and done again (a lost lock race, a crash of the
     * database) is counted twice; per process, so several nodes show how they shared a month-end.
     */
    static void wireMetrics(io.micrometer.core.instrument.MeterRegistry metrics, Invoices invoices, Payments payments) {
        io.micrometer.core.instrument.Counter issued = io.micrometer.core.instrument.Counter.builder("tollgate.invoices.issued")
                .description("invoices issued with something due by this process").register(metrics);
        invoices.onIssue((ctx, open, buyers) -> issued.increment(open.size()));
        java.util.Map<Payments.Outcome, io.micrometer.core.instrument.Counter> rounds = new java.util.EnumMap<>(Payments.Outcome.class);
        for (Payments.Outcome o : Payments.Outcome.values())
            rounds.put(o, io.micrometer.core.instrument.Counter.builder("tollgate.payment.rounds")
                    .description("payment rounds run by this process, by outcome").tag("outcome", o.name().toLowerCase(java.util.Locale.ROOT))
                    .register(metrics));
        payments.onRound((ctx, round) -> rounds.get(round.outcome()).increment());
    }
}
