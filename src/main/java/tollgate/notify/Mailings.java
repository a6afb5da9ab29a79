package tollgate.notify;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import tollgate.catalog.Plan;
import tollgate.catalog.PlanLookup;
import tollgate.invoicing.Invoice;
import tollgate.invoicing.PaymentTerms;
import tollgate.payments.PaymentMethod;
import tollgate.payments.PaymentMethods;
import tollgate.payments.Payments;
import tollgate.subscriptions.Subscription;
import tollgate.subscriptions.SubscriptionStatus;
import tollgate.subscriptions.Subscriptions;
import tollgate.tenants.Ctx;
import tollgate.tenants.Tenant;
import tollgate.timeline.JobKind;
import tollgate.timeline.Timeline;

/**
 * Which changes send which email, outside dunning (whose steps queue their own): an invoice issued with something to
 * pay, a receipt when it is paid, a reminder 30 days before the primary card expires and 3 days before a trial ends.
 * The reminders are timeline rows, so a test tenant's arrive on their day when its clock is advanced.
 */
public final class Mailings {
    public static final String CARD_JOB = "notify.card_expiring";
    public static final String TRIAL_JOB = "notify.trial_ending";
    static final Duration CARD_NOTICE = Duration.ofDays(30);
    static final Duration TRIAL_NOTICE = Duration.ofDays(3);

    /** The typed kinds of the reminders' rows (a card's id, a subscription's id); the wiring registers them. */
    public static final JobKind<CardRef> CARD = JobKind.of(CARD_JOB, CardRef::paymentMethodId, CardRef::new);
    public static final JobKind<TrialRef> TRIAL = JobKind.of(TRIAL_JOB, TrialRef::subscriptionId, TrialRef::new);

    /** A {@code notify.card_expiring} row's reference: the card. */
    public record CardRef(String paymentMethodId) {}

    /** A {@code notify.trial_ending} row's reference: the subscription in trial. */
    public record TrialRef(String subscriptionId) {}

    private final Notifications notifications;
    private final Timeline timeline;
    private final PaymentMethods cards;
    private final Subscriptions subscriptions;
    private final PlanLookup plans;

    public Mailings(Notifications notifications, Timeline timeline, PaymentMethods cards, Subscriptions subscriptions, PlanLookup plans) {
        this.notifications = notifications;
        this.timeline = timeline;
        this.cards = cards;
        this.subscriptions = subscriptions;
        this.plans = plans;
    }

    /** After a payment round or payment: a receipt when it paid the invoice. */
    public void afterRound(Ctx ctx, Payments.Round round) {
        if (round.outcome() == Payments.Outcome.PAID) paid(ctx, round.invoice());
    }

    /** {@link #afterRound} for the rounds of a batch: the receipts of the paid ones queued together. */
    public void afterRounds(Ctx ctx, List<Payments.Round> rounds) {
        if (rounds.size() == 1) {
            afterRound(ctx, rounds.getFirst());
            return;
        }
        List<Notifications.InvoiceMessage> receipts = new ArrayList<>();
        for (Payments.Round round : rounds) {
            if (round.outcome() != Payments.Outcome.PAID || round.invoice().amountPaid() <= 0) continue;
            receipts.add(new Notifications.InvoiceMessage(round.invoice().account(), round.invoice().id(), receipt(ctx, round.invoice())));
        }
        notifications.enqueueForInvoices(ctx, "invoice_paid", receipts);
    }

    /** A card attached: its expiry reminder is scheduled 30 days before it expires (at once if that is past). */
    public void cardAttached(Ctx ctx, PaymentMethod card) {
        Instant now = ctx.now();
        Instant expires = expiry(card);
        if (expires.isAfter(now)) timeline.schedule(ctx.tx(), ctx.tenantId(), latest(now, expires.minus(CARD_NOTICE)), CARD, new CardRef(card.id()), now);
    }

    /** A subscription created in trial: its reminder is scheduled 3 days before the trial ends. */
    public void subscriptionCreated(Ctx ctx, Subscription s) {
        Instant now = ctx.now();
        if (s.trialEnd() != null && s.trialEnd().isAfter(now))
            timeline.schedule(ctx.tx(), ctx.tenantId(), latest(now, s.trialEnd().minus(TRIAL_NOTICE)), TRIAL, new TrialRef(s.id()), now);
    }

    /** The {@code notify.card_expiring} job. */
    public void cardExpiring(Ctx ctx, CardRef ref) {
        // Only while it is still the card charged first and not yet expired; once per card.
        Optional<PaymentMethod> card = cards.find(ctx.tx(), ctx.tenantId(), ref.paymentMethodId());
        if (card.isEmpty() || !card.get().primary() || !expiry(card.get()).isAfter(ctx.now())) return;
        PaymentMethod c = card.get();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("payment_method", c.id());
        data.put("card_brand", c.brand());
        data.put("card_last4", c.last4());
        data.put("exp_month", c.expMonth());
        data.put("exp_year", c.expYear());
        notifications.enqueueOnce(ctx, c.account(), "card_expiring", data, "card_expiring:" + c.id());
    }

    /** The {@code notify.trial_ending} job. */
    public void trialEnding(Ctx ctx, TrialRef ref) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        Subscription s = subscriptions.find(tx, tenant.id(), ref.subscriptionId()).orElse(null);
        if (s == null || s.status() != SubscriptionStatus.TRIALING || s.trialEnd() == null || !s.trialEnd().isAfter(ctx.now())) return;
        Plan plan = plans.find(tx, tenant.id(), s.plan()).orElseThrow();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("subscription", s.id());
        data.put("plan_name", plan.name());
        data.put("trial_end_at", s.trialEnd().toString());
        data.put("price", plan.amount() == null ? 0 : plan.amount());
        data.put("currency", plan.currency());
        cards.primaryOf(tx, tenant.id(), s.account()).ifPresent(c -> {
            data.put("card_brand", c.brand());
            data.put("card_last4", c.last4());
        });
        notifications.enqueueOnce(ctx, s.account(), "trial_ending", data, "trial_ending:" + s.id());
    }

    /** Issued invoices with something to pay: one email each, with the PDF. */
    public void invoicesIssued(Ctx ctx, List<Invoice> open, Map<String, tollgate.accounts.Account> buyers) {
        List<Notifications.InvoiceMessage> messages = new ArrayList<>(open.size());
        for (Invoice i : open) {
            if (i.amountDue() <= 0) continue;
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("invoice_number", i.number());
            data.put("total", i.total());
            data.put("amount_due", i.amountDue());
            data.put("currency", i.currency());
            // Charged at once: by the time the mail goes out its PDF (rendered then) may say paid, so no "to pay" (decision 091).
            data.put("charged_automatically", i.collectionMethod() != PaymentTerms.Method.SEND_INVOICE);
            data.put("issued_at", i.issuedAt() == null ? ctx.now().toString() : i.issuedAt().toString());
            messages.add(new Notifications.InvoiceMessage(i.account(), i.id(), data));
        }
        notifications.enqueueForInvoices(ctx, "invoice_issued", messages, buyers);
    }

    /** The invoice e-mail queued with a stand-in for the number of an invoice numbered last (decision 058) gets the number. */
    public void invoiceNumbered(DSLContext tx, String tenantId, String accountId, Instant at, String placeholder, String number) {
        notifications.invoiceNumbered(tx, tenantId, accountId, at, placeholder, number);
    }

    /** A receipt, with the invoice (now paid) attached. */
    private void paid(Ctx ctx, Invoice invoice) {
        if (invoice.amountPaid() <= 0) return;
        notifications.enqueue(ctx, invoice.account(), "invoice_paid", invoice.id(), receipt(ctx, invoice));
    }

    private static Map<String, Object> receipt(Ctx ctx, Invoice invoice) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("invoice_number", invoice.number());
        data.put("amount_paid", invoice.amountPaid());
        data.put("currency", invoice.currency());
        data.put("paid_at", ctx.now().toString());
        return data;
    }

    /** A card is good through the last day of its expiry month (UTC): it expires when the next month begins. */
    static Instant expiry(PaymentMethod card) {
        return YearMonth.of(card.expYear(), card.expMonth()).plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
