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

    public Optional<Invoice> find(DSLContext db, Tenant tenant, String invoiceId) {
        return invoices.find(db, tenant.id(), invoiceId);
    }

    /** The invoice, or 404 {@code resource_missing}. */
    public Invoice get(DSLContext db, Tenant tenant, String invoiceId) {
        return find(db, tenant, invoiceId).orElseThrow(() -> Problem.notFound("invoice", invoiceId));
    }

    /**
     * Locks the invoice's account, then the invoice, for the rest of the caller's transaction (decision 010's lock
     * order) and reads it: rounds, payments and dunning steps of one invoice take turns.
     */
    public Optional<Invoice> lock(DSLContext tx, Tenant tenant, String invoiceId) {
        return invoices.lock(tx, tenant.id(), invoiceId);
    }

    /** {@link #lock}, or 404 {@code resource_missing}. */
    public Invoice lockOrNotFound(DSLContext tx, Tenant tenant, String invoiceId) {
        return lock(tx, tenant, invoiceId).orElseThrow(() -> Problem.notFound("invoice", invoiceId));
    }

    /** A payment round's count and the next automatic attempt of an open invoice ({@code after} carries both). */
    public void recordAttempts(DSLContext tx, Tenant tenant, Invoice after) {
        invoices.recordAttempts(tx, tenant.id(), after);
    }

    /**
     * Money received on an open invoice ({@code after}: the invoice with it applied): its amounts and status written,
     * then {@code invoice.paid} when nothing is left to pay, else {@code invoice.updated}.
     */
    public void markPaid(DSLContext tx, Tenant tenant, Invoice after, Instant now) {
        invoices.recordPayment(tx, tenant.id(), after, now);
        events.append(tx, tenant.id(), after.isOpen() ? "invoice.updated" : "invoice.paid", after.account(), now, after);
    }

    /**
     * Every debit of a round declined: the round counted on the invoice ({@code after}), and
     * {@code invoice.payment_failed} with why ({@code reason}: the round's, {@code declineReason}: its last card's).
     */
    public void paymentFailed(DSLContext tx, Tenant tenant, Invoice after, String reason, String declineReason, Instant now) {
        invoices.recordAttempts(tx, tenant.id(), after);
        events.append(tx, tenant.id(), "invoice.payment_failed", after.account(), now, Map.of(
                "invoice", after.id(), "attempt_count", after.attemptCount(), "reason", reason,
                "decline_reason", String.valueOf(declineReason)));
    }

    /** A debit took more than the invoice still owed (it was paid another way meanwhile): {@code invoice.overpaid}, to refund. */
    public void overpaid(DSLContext tx, Tenant tenant, Invoice invoice, String paymentId, long charged, long applied, Instant now) {
        events.append(tx, tenant.id(), "invoice.overpaid", invoice.account(), now, Map.of("invoice", invoice.id(),
                "payment", paymentId, "amount_charged", charged, "amount_applied", applied, "to_refund", charged - applied));
    }

    /**
     * The open invoice becomes past due at {@code at}: dunning's first policy and its merged steps (dunning's own JSON,
     * opaque here) are kept on it. False, and nothing written, when it already was past due.
     */
    public boolean markPastDue(DSLContext tx, Tenant tenant, String invoiceId, Instant at, String policy, String stepsJson) {
        return invoices.markPastDue(tx, tenant.id(), invoiceId, at, policy, stepsJson);
    }

    /** Dunning has planned the past-due invoice's rounds ({@code planned}): written, then {@code invoice.past_due}. */
    public void pastDue(DSLContext tx, Tenant tenant, Invoice planned, List<String> policies, Instant now) {
        invoices.recordAttempts(tx, tenant.id(), planned);
        events.append(tx, tenant.id(), "invoice.past_due", planned.account(), now, Map.of(
                "invoice", planned.id(), "policy", policies.getFirst(), "policies", policies,
                "past_due_at", now.toString(), "amount_due", planned.amountDue()));
    }

    // ---- refunds (money given back on a credit note after payment) ----

    public void recordRefund(DSLContext tx, Tenant tenant, Refund refund) {
        refunds.insert(tx, tenant.id(), refund);
    }

    /** Writes the gateway's answer to a pending refund: false when someone else already had. */
    public boolean answerRefund(DSLContext tx, Tenant tenant, Refund answered, Instant at) {
        return refunds.answer(tx, tenant.id(), answered, at);
    }

    public Optional<Refund> findRefund(DSLContext db, Tenant tenant, String refundId) {
        return refunds.find(db, tenant.id(), refundId);
    }

    /** Locks the refund's row, so that two who would record its answer take turns. */
    public Optional<Refund> lockRefund(DSLContext tx, Tenant tenant, String refundId) {
        return refunds.lock(tx, tenant.id(), refundId);
    }

    /** Every refund of the invoice, oldest first. */
    public List<Refund> allRefundsOf(DSLContext db, Tenant tenant, String invoiceId) {
        return refunds.allOfInvoice(db, tenant.id(), invoiceId);
    }

    /** The invoice's refunds, newest first (404 when there is no such invoice). */
    public Page<Refund> refundsOf(DSLContext db, Tenant tenant, String invoiceId, Paging paging) {
        if (invoices.find(db, tenant.id(), invoiceId).isEmpty()) throw Problem.notFound("invoice", invoiceId);
        return Page.of(refunds.ofInvoice(db, tenant.id(), invoiceId, paging.startingAfter(), paging.fetchSize()), paging.limit());
    }
}
