package tollgate.payments;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jooq.DSLContext;
import tollgate.balances.BalanceTransaction;
import tollgate.balances.Balances;
import tollgate.core.Database;
import tollgate.core.Ids;
import tollgate.core.Page;
import tollgate.core.Paging;
import tollgate.core.Problem;
import tollgate.core.RecoveryPoint;
import tollgate.events.EventLog;
import tollgate.invoicing.CreditNote;
import tollgate.invoicing.CreditNoteRules;
import tollgate.invoicing.Invoice;
import tollgate.invoicing.InvoiceStatus;
import tollgate.invoicing.Invoices;
import tollgate.invoicing.Refund;
import tollgate.invoicing.Receivables;
import tollgate.tenants.Ctx;
import tollgate.tenants.Tenant;
import tollgate.tenants.TenantClock;
import tollgate.timeline.JobKind;
import tollgate.timeline.Timeline;

/**
 * Credit notes (SPEC §4). On an open invoice they lower what is due ({@link Invoices#credit}); on a paid one they give
 * money back, as Stripe's post-payment credit notes: through the gateway that took it ({@code refund_to: "payment"}, a
 * {@link Refund}) or as credit on the account's balance ({@code refund_to: "balance"}), which the next invoices consume.
 *
 * <p>A refund is written {@code pending}, with its idempotency key and a {@code refund.resolve} timeline row an hour
 * ahead, in the transaction that writes its credit note; only then is the gateway asked, and its answer written in a
 * transaction of its own. A crash in between leaves the pending refund and the row that asks again with the same key:
 * a refund is never made twice, nor forgotten. A refund the gateway refuses voids its credit note (nothing was given).
 */
public final class Refunds {
    public static final String RESOLVE_JOB = "refund.resolve";
    static final Duration ASK_AGAIN_AFTER = Duration.ofHours(1);
    /** A refund still pending after this long is left to a person (event {@code refund.unresolved}). */
    static final Duration STOP_ASKING_AFTER = Duration.ofDays(3);
    public static final Set<String> REFUND_TO = Set.of("payment", "balance");

    private final Database db;
    private final Receivables receivables;
    private final Invoices invoices;
    private final PaymentStore payments;
    private final PaymentAttemptStore attempts;
    private final Balances balances;
    private final Gateways gateways;
    private final Timeline timeline;
    private final TenantClock clock;
    private final EventLog events;

    public Refunds(Database db, Receivables receivables, Invoices invoices, PaymentStore payments,
                   PaymentAttemptStore attempts, Balances balances, Gateways gateways, Timeline timeline, TenantClock clock,
                   EventLog events) {
        this.db = db;
        this.receivables = receivables;
        this.invoices = invoices;
        this.payments = payments;
        this.attempts = attempts;
        this.balances = balances;
        this.gateways = gateways;
        this.timeline = timeline;
        this.clock = clock;
        this.events = events;
    }

    public static final JobKind<RefundRef> RESOLVE = RefundRef.kind(RESOLVE_JOB);

    /** The {@code refund.resolve} job: asks the gateway again about a refund still pending, with its own key. */
    public void resolve(Ctx ctx, RefundRef ref) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        Instant now = ctx.now();
        Refund refund = receivables.findRefund(ctx, ref.refundId()).orElse(null);
        if (refund == null || !refund.isPending()) return;
        if (refund.createdAt().plus(STOP_ASKING_AFTER).isBefore(now)) {
            events.append(tx, tenant.id(), "refund.unresolved", refund.account(), now, refund);
            return;
        }
        Refund answered = record(ctx, refund, ask(ctx.tenant(), refund, true));
        if (answered.isPending()) timeline.schedule(tx, tenant.id(), now.plus(ASK_AGAIN_AFTER), RESOLVE, new RefundRef(refund.id()), now);
    }

    /** What a credit note did, and how the API answers it: 200, 202 (refund pending) or 402 (refund refused). */
    public record Credited(CreditNote note, Outcome outcome) {}

    public enum Outcome { DONE, REFUND_PENDING, REFUND_FAILED }

    /**
     * {@code POST /v1/invoices/{id}/credit_notes}: on an open invoice without {@code refund_to}, as before; on a paid
     * one, {@code refund_to} says where the money goes. Every refusal comes before anything is written.
     */
    public Credited credit(Tenant tenant, String invoiceId, List<CreditNoteRules.Entry> entries, Long amount, String reason,
                           String refundTo, RecoveryPoint point) {
        if (refundTo != null && !REFUND_TO.contains(refundTo))
            throw Problem.invalid("refund_to", "parameter_invalid", "'refund_to' must be \"payment\" or \"balance\"");
        if (refundTo == null) {
            Invoice invoice = receivables.get(Ctx.withoutClock(db.dsl(), tenant), invoiceId);
            if (invoice.status() == InvoiceStatus.PAID && paidSomething(invoice))
                throw Problem.invalid("refund_to", "parameter_missing", "This invoice is paid: a credit note gives money back, "
                        + "so 'refund_to' must say where (\"payment\" or \"balance\")");
            return new Credited(invoices.credit(tenant, invoiceId, entries, amount, reason, point), Outcome.DONE);
        }
        CreditNote written = db.tx(tx -> {
            CreditNote note = creditPaid(new Ctx(tx, tenant, clock.now(tx, tenant)), invoiceId, entries, amount, reason, refundTo);
            point.reached(tx, note.id());
            return note;
        });
        return refunded(tenant, written, false);
    }

    /**
     * What {@link #credit} answers for the credit note a request cut off by a crash made ({@link RecoveryPoint}, decision
     * 075): its refund, if still pending, asked about with its own key (the gateway makes it once whether or not the
     * cut-off request asked), and the note as it stands.
     */
    public Credited resumed(Tenant tenant, String creditNoteId) {
        return refunded(tenant, invoices.creditNote(tenant, creditNoteId), true);
    }

    /** A written credit note's refund asked for (if it has one still pending) and recorded, and the note as it stands then. */
    private Credited refunded(Tenant tenant, CreditNote written, boolean askedBefore) {
        Refund refund = written.refund();
        if (refund == null) return new Credited(written, Outcome.DONE);
        Refund answered = refund;
        if (refund.isPending()) {
            RefundResult result = ask(tenant, refund, askedBefore);
            answered = db.tx(tx -> record(new Ctx(tx, tenant, clock.now(tx, tenant)), refund, result));
        }
        CreditNote note = written.withRefund(answered);
        return new Credited(note, switch (answered.status()) {
            case Refund.SUCCEEDED -> Outcome.DONE;
            case Refund.FAILED -> Outcome.REFUND_FAILED;
            default -> Outcome.REFUND_PENDING;
        });
    }

    /** An invoice paid by something (not a zero total): only then is there money to give back. */
    private static boolean paidSomething(Invoice invoice) {
        return invoice.amountPaid() + invoice.appliedBalance() > 0;
    }

    /** The credit note on a paid invoice, with its balance credit or its pending refund, in one transaction. */
    private CreditNote creditPaid(Ctx ctx, String invoiceId, List<CreditNoteRules.Entry> entries, Long amount,
                                  String reason, String refundTo) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        Instant now = ctx.now();
        Invoice invoice = receivables.lockOrNotFound(ctx, invoiceId);
        if (invoice.status() != InvoiceStatus.PAID || !paidSomething(invoice))
            throw new Problem(409, "invoice_not_paid", "Only a paid invoice gives money back; this one is " + invoice.status().wire()
                    + (invoice.isOpen() ? ": leave out 'refund_to' to credit what is due" : ""), "refund_to");
        long paid = invoice.amountPaid() + invoice.appliedBalance() - invoices.creditedAfterPayment(ctx, invoiceId);
        boolean toPayment = "payment".equals(refundTo);
        List<RefundSources.Refundable> cards = toPayment ? refundable(ctx, invoice) : List.of();
        CreditNoteRules.Cap cap = toPayment
                ? new CreditNoteRules.Cap(Math.min(paid, RefundSources.mostRefundable(cards)), "refund_exceeds_payment",
                        "can be refunded to a card payment of this invoice (payments by wire or from the balance are "
                                + "credited with refund_to \"balance\")")
                : new CreditNoteRules.Cap(paid, "refund_exceeds_payment", "was paid on this invoice and not yet given back");
        CreditNote draft = CreditNoteRules.credit(invoice, invoices.creditedByLine(ctx, invoiceId), entries, amount, reason,
                cap, now).afterPayment(refundTo);
        if (!toPayment) {
            BalanceTransaction credit = balances.credit(ctx, invoice.account(), invoice.currency(), draft.amount(), draft.id());
            return invoices.recordAfterPayment(ctx, draft.withBalanceTransaction(credit.id()));
        }
        RefundSources.Refundable source = RefundSources.source(cards, draft.amount()).orElseThrow();
        CreditNote note = invoices.recordAfterPayment(ctx, draft);
        Refund refund = Refund.pending(Ids.next("re"), invoice.account(), invoice.id(), note.id(), source.payment(), note.amount(),
                invoice.currency(), source.gateway(), source.gatewayCharge(), now);
        receivables.recordRefund(ctx, refund);
        timeline.schedule(tx, tenant.id(), now.plus(ASK_AGAIN_AFTER), RESOLVE, new RefundRef(refund.id()), now);
        events.append(tx, tenant.id(), "refund.created", refund.account(), now, refund);
        return note.withRefund(refund);
    }

    /** The invoice's card payments, oldest first, each with what its gateway charge took and what was given back. */
    private List<RefundSources.Refundable> refundable(Ctx ctx, Invoice invoice) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        Map<String, PaymentAttempt> charges = new HashMap<>();
        for (PaymentAttempt a : attempts.ofInvoice(tx, tenant.id(), invoice.id())) charges.put(a.id(), a);
        Map<String, Long> given = new HashMap<>();
        for (Refund r : receivables.allRefundsOf(ctx, invoice.id()))
            if (!Refund.FAILED.equals(r.status())) given.merge(r.payment(), r.amount(), Long::sum);
        List<RefundSources.Refundable> out = new ArrayList<>();
        for (Payment p : payments.ofInvoice(tx, tenant.id(), invoice.id())) {
            PaymentAttempt charge = p.paymentAttempt() == null ? null : charges.get(p.paymentAttempt());
            if (!"card".equals(p.method()) || charge == null || charge.gatewayId() == null) continue;
            out.add(new RefundSources.Refundable(p.id(), charge.gateway(), charge.gatewayId(), p.amount(), given.getOrDefault(p.id(), 0L)));
        }
        return out;
    }

    /** Asks the refund's gateway; one this server no longer has leaves the refund pending (it may have been made). */
    private RefundResult ask(Tenant tenant, Refund refund, boolean askedBefore) {
        return gateways.named(tenant, refund.gateway())
                .map(g -> g.refund(new RefundRequest(refund.idempotencyKey(), refund.gatewayCharge(), refund.amount(), refund.currency(),
                        askedBefore, refund.gatewayRefund())))
                .orElseGet(() -> RefundResult.pending(null, "gateway " + refund.gateway() + " is not configured"));
    }

    /**
     * Writes the gateway's answer to a pending refund, once: a refund already answered (by a resolve, or a concurrent
     * request) is left as it is. Succeeded: {@code charge.refunded}. Failed: {@code refund.failed}, and its credit note
     * is void.
     */
    private Refund record(Ctx ctx, Refund refund, RefundResult result) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        Instant now = ctx.now();
        Refund current = receivables.lockRefund(ctx, refund.id()).orElseThrow();
        if (!current.isPending()) return current;
        Refund answered = switch (result.status()) {
            case SUCCEEDED -> current.answered(Refund.SUCCEEDED, result.gatewayId(), null);
            case FAILED -> current.answered(Refund.FAILED, result.gatewayId(), result.failureReason());
            case PENDING -> current.answered(Refund.PENDING, result.gatewayId(), null);
        };
        receivables.answerRefund(ctx, answered, now);
        if (answered.status().equals(Refund.SUCCEEDED)) {
            events.append(tx, tenant.id(), "charge.refunded", answered.account(), now, answered);
        } else if (answered.status().equals(Refund.FAILED)) {
            events.append(tx, tenant.id(), "refund.failed", answered.account(), now, answered);
            invoices.voidAfterRefundFailed(ctx, answered.creditNote());
        }
        return answered;
    }

    // ---- reading ----

    public Page<Refund> ofInvoice(Tenant tenant, String invoiceId, Paging paging) {
        return receivables.refundsOf(Ctx.withoutClock(db.dsl(), tenant), invoiceId, paging);
    }

    public Refund get(Tenant tenant, String refundId) {
        return receivables.findRefund(Ctx.withoutClock(db.dsl(), tenant), refundId).orElseThrow(() -> Problem.notFound("refund", refundId));
    }
}
