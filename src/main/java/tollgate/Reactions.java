package tollgate;

import tollgate.accounts.PortalUsers;
import tollgate.dunning.Dunning;
import tollgate.invoicing.Invoices;
import tollgate.notify.Mailings;
import tollgate.payments.PaymentMethods;
import tollgate.payments.Payments;
import tollgate.payments.Refunds;
import tollgate.subscriptions.Subscriptions;
import tollgate.timeline.TenantJobs;

/**
 * What happens after what, in one table (decision 029). A capability that must not import the one reacting to it
 * (invoicing does not know payments, payments does not know dunning or mail) tells of what happened through its
 * listener; every listener and every timeline job is registered here and nowhere else, in the order they run.
 */
final class Reactions {
    private Reactions() {}

    static void wire(Invoices invoices, Payments payments, Refunds refunds, Dunning dunning, Mailings mailings,
                     PaymentMethods cards, Subscriptions subscriptions, TenantJobs jobs) {
        // ---- events: on X → do Y, Z (inside X's transaction) ----

        // Invoices issued with something due → first payment round (or the due date's row), then the invoice email.
        invoices.onIssue((tx, tenant, open, now) -> {
            payments.scheduleFirstRounds(tx, tenant, open, now);
            mailings.invoicesIssued(tx, tenant, open, now);
        });
        // A payment round or payment → failed (or no card): dunning begins; paid: dunning may end, then the receipt.
        payments.onRound((tx, tenant, round, now) -> {
            dunning.afterRound(tx, tenant, round, now);
            mailings.afterRound(tx, tenant, round, now);
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

        // A job that charges and dies may leave a charge pending: it is asked about again later.
        jobs.registerParallel(Payments.CHARGE, (ctx, ref, due) -> payments.firstRound(ctx, ref),
                (ctx, ref, due) -> payments.resolveLater(ctx, ref.invoiceId()));
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
}
