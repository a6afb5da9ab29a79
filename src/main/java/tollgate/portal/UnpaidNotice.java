package tollgate.portal;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import tollgate.accounts.Account;
import tollgate.dunning.Dunning;
import tollgate.dunning.DunningTimeline;
import tollgate.dunning.Entitlements;
import tollgate.invoicing.Invoice;
import tollgate.invoicing.Invoices;
import tollgate.payments.PaymentAttempt;
import tollgate.payments.Payments;
import tollgate.web.Layout;

/**
 * The unpaid-invoice notice at the top of every portal page while the account has a past-due invoice (the hosting
 * seed's "notification with the invoice details and options to add a new card or pay the invoice"): which invoice,
 * how much, why the payment failed, and the next step of the dunning timeline with its date in the account's zone.
 * Every page pays for it, so an account in good standing costs one indexed read; the rest is read only when owing.
 * A user without {@code manage_users} (a member) sees nothing about billing (SPEC §1, decision 086): only that an owner
 * or admin must resolve a problem with the account, and what it means for their work and when; no invoice is read.
 */
final class UnpaidNotice {
    private final Dunning dunning;
    private final Invoices invoices;
    private final Payments payments;

    UnpaidNotice(Dunning dunning, Invoices invoices, Payments payments) {
        this.dunning = dunning;
        this.invoices = invoices;
        this.payments = payments;
    }

    Layout.Banner of(PortalRequest req) {
        Account account = req.account().orElseThrow();
        List<Dunning.Owed> pastDue = dunning.pastDue(req.tenant(), account.id());
        if (pastDue.isEmpty()) return null;
        ZoneId zone = ZoneId.of(account.timezone());
        if (!req.user().orElseThrow().managesUsers()) return forMember(req, account, zone);
        Dunning.Owed oldest = pastDue.getFirst();
        Invoice invoice = invoices.reads().get(req.tenant(), oldest.invoice());
        StringBuilder message = new StringBuilder();
        message.append("Invoice ").append(invoice.number()).append(" for ")
                .append(PaymentViews.money(invoice.amountDue(), invoice.currency())).append(" is past due");
        if (pastDue.size() > 1) {
            long total = 0;
            for (Dunning.Owed d : pastDue) total += d.amountDue();
            message.append(" (").append(pastDue.size()).append(" unpaid invoices, ")
                    .append(PaymentViews.money(total, oldest.currency())).append(" in all)");
        }
        String reason = lastDecline(req, invoice.id());
        message.append(reason == null ? "." : ": " + PaymentViews.declineWords(reason) + ".");
        String next = nextStep(req, account, zone, false);
        if (next != null) message.append(' ').append(next);
        List<Layout.NavItem> actions = new ArrayList<>();
        actions.add(new Layout.NavItem("Pay invoice", req.href("invoices/" + invoice.id()), false));
        actions.add(new Layout.NavItem("Add a card", req.href("payment-methods/new?return=invoices/" + invoice.id()), false));
        return new Layout.Banner("You have an unpaid invoice", message.toString(), actions);
    }

    /**
     * A member's notice: no invoice, amount, card or reason, only whom to ask and what the coming step means for their
     * work ("From January 15 you cannot issue new licenses."); a retry or a reminder is not theirs to know.
     */
    private Layout.Banner forMember(PortalRequest req, Account account, ZoneId zone) {
        String next = nextStep(req, account, zone, true);
        return new Layout.Banner("Your account needs attention", "There is a problem with your account that an owner or admin "
                + "must resolve." + (next == null ? "" : " " + next) + " Please ask an owner or admin of your account.", List.of());
    }

    /** The reason the invoice's latest round was declined, as its first declined card was answered. */
    private String lastDecline(PortalRequest req, String invoiceId) {
        List<PaymentAttempt> attempts = payments.attemptsOf(req.tenant(), invoiceId);
        if (attempts.isEmpty()) return null;
        int round = attempts.getLast().attempt();
        for (PaymentAttempt a : attempts) if (a.attempt() == round && a.declineReason() != null) return a.declineReason();
        return null;
    }

    /**
     * The next step that changes what the customer can do ("From January 15 you cannot issue new licenses."); a
     * reminder email or a retry is named only when nothing harsher is coming, and never to a member ({@code member}).
     */
    private String nextStep(PortalRequest req, Account account, ZoneId zone, boolean member) {
        DunningTimeline timeline = dunning.timeline(req.tenant(), account.id());
        Entitlements.UpcomingStep chosen = null;
        for (Entitlements.UpcomingStep s : timeline.upcoming()) {
            if (!s.action().equals("notify") && !s.action().equals("retry_payment")) {
                chosen = s;
                break;
            }
            if (chosen == null) chosen = s;
        }
        if (chosen == null || member && (chosen.action().equals("notify") || chosen.action().equals("retry_payment"))) return null;
        String day = PaymentViews.dayAndMonth(chosen.dueAt(), zone);
        return switch (chosen.action()) {
            case "block_new_licenses" -> "From " + day + " you cannot issue new licenses.";
            case "suspend_services" -> "From " + day + " your services are suspended.";
            case "cancel_services" -> "On " + day + " your services are canceled.";
            case "revoke_all_licenses" -> "On " + day + " all your licenses are revoked.";
            case "schedule_data_deletion" -> "On " + day + " your data is scheduled for deletion.";
            case "retry_payment" -> "We will try to charge your card again on " + day + ".";
            default -> "We will remind you by email on " + day + ".";
        };
    }
}
