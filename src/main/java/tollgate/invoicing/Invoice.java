package tollgate.invoicing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tollgate.core.Problem;

/**
 * An invoice (SPEC §10); the API shows it as {@code tollgate.api.InvoiceJson}. Amounts are minor units of {@code currency}:
 * {@code total = subtotal − discount + tax} and {@code amount_due = total − amount_paid − amount_credited − applied_balance}
 * ({@code applied_balance}: what the account's credit balance paid at issue).
 * Lines and amounts change only while it is a draft; an open invoice moves on only through credit notes,
 * payments and the status changes below, each answering a new invoice.
 */
public record Invoice(String id, String account, String number, InvoiceStatus status, String currency,
                      Instant billingDate, Instant issuedAt, Instant periodStart, Instant periodEnd,
                      long subtotal, long discount, long tax, long total, long amountPaid, long amountCredited, long appliedBalance,
                      long amountDue, int attemptCount, Instant nextPaymentAttempt, List<Line> lines, List<Discount> discounts,
                      PaymentTerms.Method collectionMethod, Instant dueDate, Integer daysUntilDue, Map<String, String> metadata) {

    /** One line as stored and shown: the billing run's {@link InvoiceLine} with an id of its own. */
    /** Some of an invoice's (or several invoices') lines and discounts, read without the rest. */
    public record Lines(List<Line> lines, List<Discount> discounts) {}

    public record Line(String id, String kind, String description, String plan, String subscription, String license,
                       String keySuffix, String siteUrl, Instant periodStart, Instant periodEnd, long quantity,
                       Integer days, long amount) {
        public static Line of(String id, InvoiceLine l) {
            return new Line(id, l.kind(), l.description(), l.plan(), l.subscription(), l.license(), l.keySuffix(),
                    l.siteUrl(), l.periodStart(), l.periodEnd(), l.quantity(), l.days(), l.amount());
        }
    }

    public Invoice {
        lines = List.copyOf(lines);
        discounts = List.copyOf(discounts);
        if (collectionMethod == null) collectionMethod = PaymentTerms.Method.CHARGE_AUTOMATICALLY;
        if (metadata == null) metadata = Map.of();
    }

    /** Without payment terms' days or metadata (decision 028 added them). */
    public Invoice(String id, String account, String number, InvoiceStatus status, String currency,
                   Instant billingDate, Instant issuedAt, Instant periodStart, Instant periodEnd,
                   long subtotal, long discount, long tax, long total, long amountPaid, long amountCredited, long appliedBalance,
                   long amountDue, int attemptCount, Instant nextPaymentAttempt, List<Line> lines, List<Discount> discounts,
                   PaymentTerms.Method collectionMethod, Instant dueDate) {
        this(id, account, number, status, currency, billingDate, issuedAt, periodStart, periodEnd, subtotal, discount,
                tax, total, amountPaid, amountCredited, appliedBalance, amountDue, attemptCount, nextPaymentAttempt, lines, discounts,
                collectionMethod, dueDate, null, Map.of());
    }

    /** An invoice charged automatically (no due date). */
    public Invoice(String id, String account, String number, InvoiceStatus status, String currency,
                   Instant billingDate, Instant issuedAt, Instant periodStart, Instant periodEnd,
                   long subtotal, long discount, long tax, long total, long amountPaid, long amountCredited, long amountDue,
                   int attemptCount, Instant nextPaymentAttempt, List<Line> lines, List<Discount> discounts) {
        this(id, account, number, status, currency, billingDate, issuedAt, periodStart, periodEnd, subtotal, discount,
                tax, total, amountPaid, amountCredited, 0, amountDue, attemptCount, nextPaymentAttempt, lines, discounts,
                PaymentTerms.Method.CHARGE_AUTOMATICALLY, null);
    }

    /** Sent to be paid rather than charged: no automatic charge, past due after {@code dueDate}. */
    public boolean sentToPay() {
        return collectionMethod == PaymentTerms.Method.SEND_INVOICE;
    }

    /** A draft with its totals worked out from its lines and discounts; nothing paid or credited yet. */
    static Invoice draft(String id, String account, String currency, Instant billingDate, Instant periodStart,
                         Instant periodEnd, List<Line> lines, List<Discount> discounts) {
        return draft(id, account, currency, billingDate, periodStart, periodEnd, lines, discounts, PaymentTerms.CHARGE_AUTOMATICALLY);
    }

    static Invoice draft(String id, String account, String currency, Instant billingDate, Instant periodStart,
                         Instant periodEnd, List<Line> lines, List<Discount> discounts, PaymentTerms terms) {
        return new Invoice(id, account, null, InvoiceStatus.DRAFT, currency, billingDate, null, periodStart,
                periodEnd, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, lines, discounts, terms.collectionMethod(), null, terms.daysUntilDue(),
                Map.of()).totalled();
    }

    /** The payment terms it was made with (a draft's may still change). */
    public PaymentTerms terms() {
        return new PaymentTerms(collectionMethod, sentToPay() ? daysUntilDue : null);
    }

    /** The tenant's own key/values: not accounting data, so any invoice takes them, whatever its status. */
    public Invoice withMetadata(Map<String, String> newMetadata) {
        return new Invoice(id, account, number, status, currency, billingDate, issuedAt, periodStart, periodEnd,
                subtotal, discount, tax, total, amountPaid, amountCredited, appliedBalance, amountDue, attemptCount, nextPaymentAttempt, lines,
                discounts, collectionMethod, dueDate, daysUntilDue, newMetadata);
    }

    public boolean isDraft() { return status == InvoiceStatus.DRAFT; }

    public boolean isOpen() { return status == InvoiceStatus.OPEN; }

    /** Open, or written off but still owed: money that arrives for an uncollectible invoice is taken (as Stripe). */
    public boolean takesPayments() { return status == InvoiceStatus.OPEN || status == InvoiceStatus.UNCOLLECTIBLE; }

    /** Issuing: the draft takes its number and becomes open; its charge is due at once (below, for invoices charged). */
    public Invoice opened(String number, Instant issuedAt) {
        return opened(number, issuedAt, null);
    }

    /**
     * Issuing with a due date: an invoice charged automatically is charged as it is issued, so its next payment attempt
     * is its issue (SPEC §10 {@code next_payment_attempt}: the charge is scheduled); one sent to be paid has none, and
     * is past due after {@code due} (decision 022).
     */
    public Invoice opened(String number, Instant issuedAt, Instant due) {
        if (!isDraft()) throw new IllegalStateException("only a draft can be issued; " + id + " is " + status.wire());
        if (sentToPay() != (due != null)) throw new IllegalArgumentException("a due date goes with send_invoice only");
        return new Invoice(id, account, number, InvoiceStatus.OPEN, currency, billingDate, issuedAt, periodStart,
                periodEnd, subtotal, discount, tax, total, amountPaid, amountCredited, appliedBalance, amountDue, attemptCount,
                sentToPay() || amountDue == 0 ? null : issuedAt, lines, discounts, collectionMethod, due, daysUntilDue, metadata);
    }

    /** More lines on a draft, totals worked out again; anything but a draft is immutable (409). */
    public Invoice withMoreLines(List<Line> more) {
        refuseUnlessDraft();
        List<Line> all = new ArrayList<>(lines);
        all.addAll(more);
        return with(status, all, amountCredited).totalled();
    }

    /**
     * A credit note's amount taken off: {@code amount_credited} rises, {@code amount_due} falls, and an invoice
     * with nothing left to pay is {@code paid}, as Stripe does. The caller has checked the amount ({@link CreditNoteRules}).
     */
    public Invoice credited(long amount) {
        if (!isOpen()) throw new IllegalStateException("only an open invoice can be credited; " + id + " is " + status.wire());
        if (amount <= 0 || amount > amountDue) throw new IllegalArgumentException("credit of " + amount + " on " + amountDue + " due");
        Invoice after = with(status, lines, Math.addExact(amountCredited, amount)).totalled();
        return after.amountDue == 0 ? after.with(InvoiceStatus.PAID, lines, after.amountCredited) : after;
    }

    /**
     * A payment received: {@code amount_paid} rises and {@code amount_due} falls; nothing left to pay makes it
     * {@code paid}. Only an open or uncollectible invoice takes payments (409 {@code invoice_not_open}), never more than
     * is due; part of an uncollectible invoice's amount leaves it uncollectible.
     */
    public Invoice paid(long amount) {
        refuseUnlessTakesPayments();
        if (amount <= 0 || amount > amountDue) throw new IllegalArgumentException("payment of " + amount + " on " + amountDue + " due");
        long newPaid = Math.addExact(amountPaid, amount);
        long due = amountDue - amount;
        return new Invoice(id, account, number, due == 0 ? InvoiceStatus.PAID : status, currency, billingDate, issuedAt,
                periodStart, periodEnd, subtotal, discount, tax, total, newPaid, amountCredited, appliedBalance, due, attemptCount,
                due == 0 ? null : nextPaymentAttempt, lines, discounts, collectionMethod, dueDate, daysUntilDue, metadata);
    }

    /**
     * Issuing with the account's credit balance: {@code amount} of it (at most what is due) pays the invoice before any
     * card is charged. The invoice stays open here; one it covers in full is then settled like any with nothing due.
     */
    public Invoice withAppliedBalance(long amount) {
        if (!isOpen()) throw new IllegalStateException("balance is applied at issue; " + id + " is " + status.wire());
        if (amount <= 0 || amount > amountDue) throw new IllegalArgumentException("balance of " + amount + " on " + amountDue + " due");
        return new Invoice(id, account, number, status, currency, billingDate, issuedAt, periodStart, periodEnd, subtotal,
                discount, tax, total, amountPaid, amountCredited, Math.addExact(appliedBalance, amount), amountDue - amount,
                attemptCount, nextPaymentAttempt, lines, discounts, collectionMethod, dueDate, daysUntilDue, metadata);
    }

    /** After a payment round: how many rounds there have been, and when the next automatic one is planned. */
    public Invoice attempted(int rounds, Instant next) {
        return new Invoice(id, account, number, status, currency, billingDate, issuedAt, periodStart, periodEnd,
                subtotal, discount, tax, total, amountPaid, amountCredited, appliedBalance, amountDue, rounds, next, lines, discounts, collectionMethod, dueDate, daysUntilDue, metadata);
    }

    /** 409 {@code invoice_not_open} unless the invoice is open; {@code doing} says what was refused. */
    /** 409 {@code invoice_not_open} unless {@link #takesPayments}. */
    public void refuseUnlessTakesPayments() {
        if (!takesPayments())
            throw Problem.conflict("invoice_not_open", "Only an open or uncollectible invoice can be paid; this one is " + status.wire());
    }

    public void refuseUnlessOpen(String doing) {
        if (!isOpen())
            throw Problem.conflict("invoice_not_open", "Only an open invoice can be " + doing + "; this one is " + status.wire());
    }

    /** An open invoice with nothing to pay (a zero total, say) is paid at once. */
    public Invoice settledIfNothingDue() {
        return isOpen() && amountDue == 0 ? with(InvoiceStatus.PAID, lines, amountCredited) : this;
    }

    /** Voiding: only an open invoice; its amounts stay as they were, for the record. */
    public Invoice voided() {
        if (!isOpen())
            throw Problem.conflict("invoice_not_open", "Only an open invoice can be voided; this one is " + status.wire());
        return with(InvoiceStatus.VOID, lines, amountCredited);
    }

    /** Written off (issue #10): only an open invoice; nothing more is collected, its amounts stay for the record. */
    public Invoice markedUncollectible() {
        refuseUnlessOpen("marked uncollectible");
        return with(InvoiceStatus.UNCOLLECTIBLE, lines, amountCredited);
    }

    void refuseUnlessDraft() {
        if (!isDraft())
            throw Problem.conflict("invoice_immutable",
                    "This invoice is " + status.wire() + ": its lines and amounts cannot change; issue a credit note instead");
    }

    /** Totals from lines and discounts (SPEC §2: discounts before tax); no tax engine yet, so tax is 0. */
    private Invoice totalled() {
        long sub = 0;
        for (Line l : lines) sub = Math.addExact(sub, l.amount());
        long off = 0;
        for (Discount d : discounts) off = Math.addExact(off, d.amount());
        long disc = Math.min(off, sub);
        long taxed = 0;
        long tot = sub - disc + taxed;
        long due = tot - amountPaid - amountCredited - appliedBalance;
        return new Invoice(id, account, number, status, currency, billingDate, issuedAt, periodStart, periodEnd,
                sub, disc, taxed, tot, amountPaid, amountCredited, appliedBalance, due, attemptCount, nextPaymentAttempt, lines, discounts, collectionMethod, dueDate, daysUntilDue, metadata);
    }

    /** The invoice with a new status (no next attempt once it has left {@code open}), lines and credit. */
    private Invoice with(InvoiceStatus newStatus, List<Line> newLines, long newCredited) {
        return new Invoice(id, account, number, newStatus, currency, billingDate, issuedAt, periodStart, periodEnd,
                subtotal, discount, tax, total, amountPaid, newCredited, appliedBalance, amountDue, attemptCount,
                newStatus == InvoiceStatus.OPEN ? nextPaymentAttempt : null, newLines, discounts, collectionMethod, dueDate, daysUntilDue, metadata);
    }
}
