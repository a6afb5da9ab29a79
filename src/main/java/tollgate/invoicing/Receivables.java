package tollgate.invoicing;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import tollgate.core.Page;
import tollgate.core.Paging;
import tollgate.core.Problem;
import tollgate.events.EventLog;
import tollgate.tenants.Tenant;
import tollgate.tenants.Ctx;

/**
 * The door through which payments and dunning collect what an open invoice owes (decision 029): they read and lock
 * invoices, record payment rounds, payments and refunds here, inside THEIR transaction (each method takes the caller's
 * {@code tx} and opens none). Only invoicing writes the invoice rows and emits {@code invoice.*}; each method is the
 * one statement the caller used to run against the store itself, so the hot paths cost what they did.
 */
public final class Receivables {
    private final InvoiceStore invoices;
    private final RefundStore refunds;
    private final EventLog events;

    public Receivables(InvoiceStore invoices, RefundStore refunds, EventLog events) {
        this.invoices = invoices;
        this.refunds = refunds;
        this.events = events;
    }

    // ---- invoices ----

    public Optional<Invoice> find(Ctx ctx, String invoiceId) {
        return invoices.find(ctx.tx(), ctx.tenantId(), invoiceId);
    }

    /** The invoice, or 404 {@code resource_missing}. */
    public Invoice get(Ctx ctx, String invoiceId) {
        return find(ctx, invoiceId).orElseThrow(() -> Problem.notFound("invoice", invoiceId));
    }

    /**
     * Locks the invoice's account, then the invoice, for the rest of the caller's transaction (decision 010's lock
     * order) and reads it: rounds, payments and dunning steps of one invoice take turns.
     */
    public Optional<Invoice> lock(Ctx ctx, String invoiceId) {
        return invoices.lock(ctx.tx(), ctx.tenantId(), invoiceId);
    }

    /** {@link #lock}, or 404 {@code resource_missing}. */
    public Invoice lockOrNotFound(Ctx ctx, String invoiceId) {
        return lock(ctx, invoiceId).orElseThrow(() -> Problem.notFound("invoice", invoiceId));
    }

    /** {@link #lock} for many invoices (a batch of first charges), in one statement each for accounts and invoices; id order. */
    public List<Invoice> lockAll(Ctx ctx, List<String> invoiceIds) {
        return invoices.lockAll(ctx.tx(), ctx.tenantId(), invoiceIds, true);
    }

    /** {@link #lockAll}, each invoice read without its lines and discounts (answered empty): for who reads only amounts. */
    public List<Invoice> lockAllAmounts(Ctx ctx, List<String> invoiceIds) {
        return invoices.lockAll(ctx.tx(), ctx.tenantId(), invoiceIds, false);
    }

    /**
     * {@link #recordAttempts} and {@link #markPaid} of many open invoices that a charge has paid in full ({@code after}:
     * each with its round counted and the money applied): written as one batch, then one {@code invoice.paid} each.
     */
    public void paidInFull(Ctx ctx, List<Invoice> after) {
        if (after.isEmpty()) return;
        invoices.paidInFull(ctx.tx(), ctx.tenantId(), after, ctx.now());
        events.appendAll(ctx.tx(), ctx.tenantId(), "invoice.paid", ctx.now(), after, Invoice::account);
    }

    /** A payment round's count and the next automatic attempt of an open invoice ({@code after} carries both). */
    public void recordAttempts(Ctx ctx, Invoice after) {
        invoices.recordAttempts(ctx.tx(), ctx.tenantId(), after);
    }

    /**
     * Money received on an open or uncollectible invoice ({@code after}: the invoice with it applied): its amounts and
     * status written, then {@code invoice.paid} when nothing is left to pay, else {@code invoice.updated}.
     */
    public void markPaid(Ctx ctx, Invoice after) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        Instant now = ctx.now();
        invoices.recordPayment(tx, tenant.id(), after, now);
        events.append(tx, tenant.id(), after.status() == InvoiceStatus.PAID ? "invoice.paid" : "invoice.updated", after.account(), now, after);
    }

    /**
     * Every debit of a round declined: the round counted on the invoice ({@code after}), and
     * {@code invoice.payment_failed} with why ({@code reason}: the round's, {@code declineReason}: its last card's).
     */
    public void paymentFailed(Ctx ctx, Invoice after, String reason, String declineReason) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        invoices.recordAttempts(tx, tenant.id(), after);
        events.append(tx, tenant.id(), "invoice.payment_failed", after.account(), ctx.now(), Map.of(
                "invoice", after.id(), "attempt_count", after.attemptCount(), "reason", reason,
                "decline_reason", String.valueOf(declineReason)));
    }

    /** A debit took more than the invoice still owed (it was paid another way meanwhile): {@code invoice.overpaid}, to refund. */
    public void overpaid(Ctx ctx, Invoice invoice, String paymentId, long charged, long applied) {
        events.append(ctx.tx(), ctx.tenantId(), "invoice.overpaid", invoice.account(), ctx.now(), Map.of("invoice", invoice.id(),
                "payment", paymentId, "amount_charged", charged, "amount_applied", applied, "to_refund", charged - applied));
    }

    /**
     * The open invoice becomes past due at {@code at}: dunning's first policy and its merged steps (dunning's own JSON,
     * opaque here) are kept on it. False, and nothing written, when it already was past due.
     */
    public boolean markPastDue(Ctx ctx, String invoiceId, Instant at, String policy, String stepsJson) {
        return invoices.markPastDue(ctx.tx(), ctx.tenantId(), invoiceId, at, policy, stepsJson);
    }

    /** Dunning has planned the past-due invoice's rounds ({@code planned}): written, then {@code invoice.past_due}. */
    public void pastDue(Ctx ctx, Invoice planned, List<String> policies) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        Instant now = ctx.now();
        invoices.recordAttempts(tx, tenant.id(), planned);
        events.append(tx, tenant.id(), "invoice.past_due", planned.account(), now, Map.of(
                "invoice", planned.id(), "policy", policies.getFirst(), "policies", policies,
                "past_due_at", now.toString(), "amount_due", planned.amountDue()));
    }

    // ---- refunds (money given back on a credit note after payment) ----

    public void recordRefund(Ctx ctx, Refund refund) {
        refunds.insert(ctx.tx(), ctx.tenantId(), refund);
    }

    /** Writes the gateway's answer to a pending refund: false when someone else already had. */
    public boolean answerRefund(Ctx ctx, Refund answered, Instant at) {
        return refunds.answer(ctx.tx(), ctx.tenantId(), answered, at);
    }

    public Optional<Refund> findRefund(Ctx ctx, String refundId) {
        return refunds.find(ctx.tx(), ctx.tenantId(), refundId);
    }

    /** Locks the refund's row, so that two who would record its answer take turns. */
    public Optional<Refund> lockRefund(Ctx ctx, String refundId) {
        return refunds.lock(ctx.tx(), ctx.tenantId(), refundId);
    }

    /** Every refund of the invoice, oldest first. */
    public List<Refund> allRefundsOf(Ctx ctx, String invoiceId) {
        return refunds.allOfInvoice(ctx.tx(), ctx.tenantId(), invoiceId);
    }

    /** The invoice's refunds, newest first (404 when there is no such invoice). */
    public Page<Refund> refundsOf(Ctx ctx, String invoiceId, Paging paging) {
        DSLContext db = ctx.tx();
        Tenant tenant = ctx.tenant();
        if (invoices.find(db, tenant.id(), invoiceId).isEmpty()) throw Problem.notFound("invoice", invoiceId);
        return Page.of(refunds.ofInvoice(db, tenant.id(), invoiceId, paging.startingAfter(), paging.fetchSize()), paging.limit());
    }
}
