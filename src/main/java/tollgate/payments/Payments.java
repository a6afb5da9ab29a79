package tollgate.payments;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jooq.DSLContext;
import tollgate.core.Database;
import tollgate.core.Ids;
import tollgate.core.Problem;
import tollgate.events.EventLog;
import tollgate.invoicing.Invoice;
import tollgate.invoicing.Receivables;
import tollgate.payments.PaymentAttempt.Reason;
import tollgate.payments.PaymentAttempt.Status;
import tollgate.payments.PaymentMethodStore.Debitable;
import tollgate.tenants.Ctx;
import tollgate.tenants.Tenant;
import tollgate.tenants.TenantClock;
import tollgate.timeline.JobKind;
import tollgate.timeline.Timeline;

/**
 * Charging invoices (SPEC §5). A payment round tries the named method, or the primary and then every other method
 * in order, and stops at the first success. Each charge is written ahead as {@code pending} in a transaction of its
 * own, then the gateway is asked with the attempt's idempotency key, then the answer is written in the round's
 * transaction. A charge whose answer never got written (a crash) or that the gateway could not decide (a timeout) is
 * asked about again with the same key before anything new is charged: money never moves twice for one invoice.
 */
public final class Payments {
    /** The first round, due when an invoice is issued. */
    public static final String CHARGE_JOB = "invoice.charge";
    /** An invoice sent to be paid (send_invoice) that reaches its due date unpaid becomes past due. */
    public static final String OVERDUE_JOB = "invoice.overdue";
    /** Asks again about charges left undecided on an invoice. */
    public static final String RESOLVE_JOB = "payment.resolve";
    static final Duration ASK_AGAIN_AFTER = Duration.ofHours(1);
    /** Stripe keeps idempotency keys for 24 hours; after that, asking again could charge again, so we stop before. */
    static final Duration STOP_ASKING_AFTER = Duration.ofHours(20);

    public enum Outcome { PAID, PARTLY_PAID, FAILED, NO_METHOD, UNDECIDED, NOTHING_DUE }

    /** What a round (or a recorded payment) did to an invoice. */
    public record Round(Invoice invoice, Outcome outcome, Reason reason, List<PaymentAttempt> attempts) {
        /** The decline reason of the round's last charge, if it was declined. */
        public String declineReason() {
            return attempts.isEmpty() ? null : attempts.getLast().declineReason();
        }
    }

    /** Told of every round and payment, in its transaction (dunning starts and ends here). */
    @FunctionalInterface
    public interface RoundListener {
        void after(Ctx ctx, Round round);
    }

    /**
     * Told of rounds in their transaction, several at once when a batch of first charges paid them together (one
     * otherwise): a listener that writes can then write for all of them in one statement.
     */
    @FunctionalInterface
    public interface RoundsListener {
        void after(Ctx ctx, List<Round> rounds);
    }

    private final Database db;
    private final Receivables invoices;
    private final PaymentAttemptStore attempts;
    private final PaymentMethodStore methods;
    private final PaymentStore received;
    private final Gateways gateways;
    private final Timeline timeline;
    private final TenantClock clock;
    private final EventLog events;
    private final List<RoundsListener> listeners = new CopyOnWriteArrayList<>();

    public Payments(Database db, Receivables invoices, PaymentAttemptStore attempts, PaymentMethodStore methods,
                    PaymentStore received, Gateways gateways, Timeline timeline, TenantClock clock, EventLog events) {
        this.db = db;
        this.invoices = invoices;
        this.attempts = attempts;
        this.methods = methods;
        this.received = received;
        this.gateways = gateways;
        this.timeline = timeline;
        this.clock = clock;
        this.events = events;
    }

    /** The typed kinds of the jobs above; the wiring ({@code tollgate.Reactions}) registers them. */
    public static final JobKind<InvoiceRef> CHARGE = InvoiceRef.kind(CHARGE_JOB);
    public static final JobKind<InvoiceRef> OVERDUE = InvoiceRef.kind(OVERDUE_JOB);
    public static final JobKind<InvoiceRef> RESOLVE = InvoiceRef.kind(RESOLVE_JOB);

    /**
     * Invoices just issued with something due: those charged automatically get their first round now (a
     * {@code invoice.charge} row each), those sent to be paid an {@code invoice.overdue} row at their due date.
     */
    public void scheduleFirstRounds(Ctx ctx, List<Invoice> open) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        Instant now = ctx.now();
        List<InvoiceRef> charged = open.stream().filter(i -> !i.sentToPay()).map(i -> new InvoiceRef(i.id())).toList();
        if (!charged.isEmpty()) timeline.scheduleAll(tx, tenant.id(), now, CHARGE, charged, now);
        Map<Instant, List<InvoiceRef>> overdue = new java.util.TreeMap<>();
        for (Invoice sent : open)
            if (sent.sentToPay()) overdue.computeIfAbsent(sent.dueDate(), d -> new java.util.ArrayList<>()).add(new InvoiceRef(sent.id()));
        overdue.forEach((due, refs) -> timeline.scheduleAll(tx, tenant.id(), due, OVERDUE, refs, now));
    }

    /** The {@code invoice.charge} job: an invoice's first round. */
    public void firstRound(Ctx ctx, InvoiceRef ref) {
        paymentRound(ctx, ref.invoiceId(), Reason.ISSUE, null);
    }

    // ---- first rounds in three steps (decision 043) ----

    /** How many charges of one batch are asked of the gateways at once. */
    static final int ASKED_AT_ONCE = 8;

    /** One tenant's first charges of a batch, written ahead; {@link #outside} fills in the gateways' answers. */
    public static final class FirstCharges {
        private final Tenant tenant;
        private final Map<String, Charge> byInvoice = new LinkedHashMap<>();

        FirstCharges(Tenant tenant) {
            this.tenant = tenant;
        }
    }

    private static final class Charge {
        final PaymentAttempt attempt;
        final Debitable method;
        final String invoiceNumber;
        volatile DebitResult result;

        Charge(PaymentAttempt attempt, Debitable method, String invoiceNumber) {
            this.attempt = attempt;
            this.method = method;
            this.invoiceNumber = invoiceNumber;
        }
    }

    /**
     * The {@code invoice.charge} rows of a batch in three steps, so that no lock is held (and no transaction open) while
     * a gateway answers: {@code prepare} locks each invoice and writes its charge ahead, {@code pending}, with its
     * idempotency key (committed with the claim, before any gateway is asked); {@code outside} asks the gateways; then
     * {@code finish} locks each invoice again and writes the answer as a round does, unless someone asked meanwhile (a
     * pay, a resolve: they find the charge pending and ask with the same key, so it is recorded once). An invoice with
     * an earlier charge still undecided, nothing due or no card, and a second card after a declined first, go the
     * one-transaction way ({@link #paymentRound}) in {@code finish}.
     */
    public tollgate.timeline.TenantStaged<InvoiceRef, FirstCharges> firstCharges() {
        return new tollgate.timeline.TenantStaged<>() {
            @Override
            public FirstCharges prepare(Ctx ctx, List<InvoiceRef> refs) {
                return prepareFirstRounds(ctx, refs);
            }

            @Override
            public void outside(FirstCharges prepared) {
                askOutside(prepared);
            }

            @Override
            public void finish(Ctx ctx, List<InvoiceRef> refs, FirstCharges prepared) {
                finishFirstRounds(ctx, refs, prepared);
            }
        };
    }

    private FirstCharges prepareFirstRounds(Ctx ctx, List<InvoiceRef> refs) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        FirstCharges batch = new FirstCharges(tenant);
        // The batch's accounts and invoices locked in one statement each (id order), then what each needs read in one
        // query for all: its undecided charges and its account's cards.
        List<Invoice> due = invoices.lockAllAmounts(ctx, refs.stream().map(InvoiceRef::invoiceId).distinct().toList()).stream()
                .filter(i -> i.isOpen() && i.amountDue() != 0).toList();
        Map<String, List<PaymentAttempt>> undecided = attempts.undecidedOf(tx, tenant.id(), due.stream().map(Invoice::id).toList());
        Map<String, List<Debitable>> orders = methods.debitOrders(tx, tenant.id(), due.stream().map(Invoice::account).distinct().toList());
        List<PaymentAttempt> ahead = new ArrayList<>(due.size());
        for (Invoice invoice : due) {
            if (undecided.containsKey(invoice.id())) continue;
            List<Debitable> order = orders.getOrDefault(invoice.account(), List.of());
            if (order.isEmpty()) continue;
            Debitable m = order.getFirst();
            PaymentAttempt a = PaymentAttempt.pending(invoice.id(), invoice.account(), invoice.attemptCount() + 1, 0, m.id(),
                    m.gateway(), invoice.amountDue(), invoice.currency(), Reason.ISSUE, ctx.now());
            ahead.add(a);
            batch.byInvoice.put(invoice.id(), new Charge(a, m, invoice.number()));
        }
        attempts.insertAll(tx, tenant.id(), ahead);
        return batch;
    }

    /**
     * Asks the gateways: each its charges in calls of {@link Gateway#debitsPerCall} ({@link Gateway#debitAll}: the
     * sandbox takes a batch in one ledger transaction, Stripe one charge a call), up to {@link #ASKED_AT_ONCE} calls
     * side by side. A call that throws is asked again one charge at a time; a charge whose gateway threw then is left
     * without an answer.
     */
    private void askOutside(FirstCharges batch) {
        if (batch.byInvoice.isEmpty()) return;
        Map<String, List<Charge>> byGateway = new LinkedHashMap<>();
        for (Charge c : batch.byInvoice.values()) byGateway.computeIfAbsent(c.attempt.gateway(), k -> new ArrayList<>()).add(c);
        List<Runnable> calls = new ArrayList<>();
        for (Map.Entry<String, List<Charge>> e : byGateway.entrySet()) {
            List<Charge> charges = e.getValue();
            int perCall = Math.max(1, gateways.named(batch.tenant, e.getKey()).map(Gateway::debitsPerCall).orElse(charges.size()));
            for (int from = 0; from < charges.size(); from += perCall) {
                List<Charge> slice = charges.subList(from, (int) Math.min(charges.size(), (long) from + perCall));
                calls.add(() -> ask(batch.tenant, e.getKey(), slice));
            }
        }
        if (calls.size() == 1) {
            calls.getFirst().run();
            return;
        }
        java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(ASKED_AT_ONCE);
        try (java.util.concurrent.ExecutorService asking = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (Runnable call : calls)
                asking.submit(() -> {
                    slots.acquireUninterruptibly();
                    try {
                        call.run();
                    } finally {
                        slots.release();
                    }
                });
        }
    }

    private void ask(Tenant tenant, String gatewayName, List<Charge> slice) {
        Gateway gateway = gateways.named(tenant, gatewayName).orElse(null);
        if (gateway == null) {
            for (Charge c : slice) c.result = DebitResult.declined(null, "gateway_unavailable");
            return;
        }
        List<DebitRequest> requests = new ArrayList<>(slice.size());
        for (Charge c : slice) requests.add(request(c));
        try {
            List<DebitResult> results = gateway.debitAll(requests);
            if (results.size() != slice.size())
                throw new IllegalStateException("gateway " + gatewayName + " answered " + results.size() + " of " + slice.size() + " debits");
            for (int i = 0; i < slice.size(); i++) slice.get(i).result = results.get(i);
        } catch (RuntimeException batchFailed) {
            // One at a time, with the same keys: those already answered get that answer again.
            for (int i = 0; i < slice.size(); i++) {
                Charge c = slice.get(i);
                try {
                    c.result = gateway.debit(requests.get(i));
                } catch (RuntimeException e) {
                    org.slf4j.LoggerFactory.getLogger(Payments.class).warn("charge {} failed; asked again under the invoice's lock",
                            c.attempt.id(), e);
                }
            }
        }
    }

    private static DebitRequest request(Charge c) {
        PaymentAttempt a = c.attempt;
        return new DebitRequest(a.idempotencyKey(), c.method.id(), c.method.token(), a.amount(), a.currency(), "Invoice " + c.invoiceNumber);
    }

    /**
     * The third step. Charges without an answer, and invoices not prepared, take the one-invoice round. The others are
     * locked together (id order), their attempts still pending read in one query, and every charge that paid its
     * invoice in full is written for the batch at once: answers, payments, invoices, {@code invoice.paid} events, and
     * what the rounds' listeners write (receipts). A charge declined (its round goes on to the other cards), undecided
     * or paying more than is due now takes the one-invoice way after its answer is written.
     */
    private void finishFirstRounds(Ctx ctx, List<InvoiceRef> refs, FirstCharges batch) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        Instant now = ctx.now();
        List<String> answeredIds = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (InvoiceRef ref : refs) {
            if (!seen.add(ref.invoiceId())) continue;
            Charge c = batch.byInvoice.get(ref.invoiceId());
            if (c == null || c.result == null) paymentRound(ctx, ref.invoiceId(), Reason.ISSUE, null);
            else answeredIds.add(ref.invoiceId());
        }
        if (answeredIds.isEmpty()) return;
        List<Invoice> locked = invoices.lockAll(ctx, answeredIds);
        if (locked.size() != answeredIds.size()) throw new IllegalStateException("invoices of a batch of first charges are missing");
        Map<String, List<PaymentAttempt>> undecided = attempts.undecidedOf(tx, tenant.id(), answeredIds);
        List<PaymentAttempt> answers = new ArrayList<>(locked.size());
        List<Payment> payments = new ArrayList<>(locked.size());
        List<Invoice> paid = new ArrayList<>(locked.size());
        List<Round> rounds = new ArrayList<>(locked.size());
        List<Map.Entry<Invoice, PaymentAttempt>> oneByOne = new ArrayList<>();
        for (Invoice invoice : locked) {
            Charge c = batch.byInvoice.get(invoice.id());
            // Someone else's round found it pending and asked with its key meanwhile: it is recorded already.
            if (undecided.getOrDefault(invoice.id(), List.of()).stream().noneMatch(a -> a.id().equals(c.attempt.id()))) continue;
            PaymentAttempt answered = c.attempt.answered(c.result, now);
            answers.add(answered);
            if (answered.succeeded() && invoice.isOpen() && answered.amount() == invoice.amountDue()) {
                Invoice after = invoice.attempted(Math.max(invoice.attemptCount(), answered.attempt()), null).paid(answered.amount());
                payments.add(new Payment(Ids.next("pay"), invoice.id(), invoice.account(), answered.amount(), invoice.currency(), "card",
                        null, answered.id(), now));
                paid.add(after);
                rounds.add(new Round(after, Outcome.PAID, Reason.ISSUE, List.of(answered)));
            } else {
                oneByOne.add(Map.entry(invoice, answered));
            }
        }
        attempts.answerAll(tx, tenant.id(), answers);
        received.insertAll(tx, tenant.id(), payments);
        invoices.paidInFull(ctx, paid);
        tellAll(ctx, rounds);
        for (Map.Entry<Invoice, PaymentAttempt> e : oneByOne) {
            Invoice invoice = e.getKey();
            PaymentAttempt answered = e.getValue();
            List<PaymentAttempt> made = new ArrayList<>(List.of(answered));
            if (answered.succeeded()) {
                paidByCard(ctx, invoice, answered, Reason.ISSUE, made);
            } else if (answered.status() == Status.UNKNOWN) {
                undecided(ctx, invoice, answered, Reason.ISSUE, made);
            } else {
                List<Debitable> rest = methods.debitOrder(tx, tenant.id(), invoice.account()).stream()
                        .filter(m -> !m.id().equals(answered.paymentMethod())).toList();
                debitInOrder(ctx, invoice, answered.attempt(), 1, rest, Reason.ISSUE, made);
            }
        }
    }

    public void onRound(RoundListener listener) {
        listeners.add((ctx, rounds) -> {
            for (Round round : rounds) listener.after(ctx, round);
        });
    }

    public void onRounds(RoundsListener listener) {
        listeners.add(listener);
    }

    // ---- rounds ----

    /**
     * One payment round on the invoice, in the caller's transaction (which locks the invoice, so rounds and payments
     * of one invoice take turns). {@code onlyMethodId}: charge that method only (someone paying with a chosen card).
     */
    public Round paymentRound(Ctx ctx, String invoiceId, Reason reason, String onlyMethodId) {
        return paymentRound(ctx, invoices.lockOrNotFound(ctx, invoiceId), reason, onlyMethodId);
    }

    /**
     * {@link #paymentRound}, on an invoice the caller has just locked ({@link Receivables#lock}) and read: a dunning step
     * locks its invoice once. The round's invoice is the invoice as the round left it.
     */
    public Round paymentRound(Ctx ctx, Invoice invoice, Reason reason, String onlyMethodId) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        if (reason == Reason.PAY) invoice.refuseUnlessOpen("paid");
        Debitable only = onlyMethodId == null ? null : methods.debitable(tx, tenant.id(), onlyMethodId)
                .filter(m -> m.accountId().equals(invoice.account()))
                .orElseThrow(() -> new Problem(404, "resource_missing", "No such payment method: '" + onlyMethodId + "'", "payment_method"));
        // Earlier charges nobody heard the end of are asked about first, with their own keys, whatever the invoice's
        // state now; nothing new is charged while one of them is still undecided.
        List<PaymentAttempt> made = new ArrayList<>();
        Round settled = askAboutEarlier(ctx, invoice, reason, made);
        if (settled != null) return settled;
        if (!invoice.isOpen() || invoice.amountDue() == 0) return new Round(invoice, Outcome.NOTHING_DUE, reason, made);

        int round = invoice.attemptCount() + 1;
        Set<String> triedThisRound = new HashSet<>();
        for (PaymentAttempt a : made) if (a.attempt() == round) triedThisRound.add(a.paymentMethod());
        List<Debitable> order = only != null ? List.of(only) : methods.debitOrder(tx, tenant.id(), invoice.account());
        order = order.stream().filter(m -> !triedThisRound.contains(m.id())).toList();
        if (order.isEmpty() && made.isEmpty()) return tell(ctx, new Round(invoice, Outcome.NO_METHOD, reason, made));
        return debitInOrder(ctx, invoice, round, triedThisRound.size(), order, reason, made);
    }

    /** Charges each method in turn up to the first success (or an undecided answer); all declined is a failed round. */
    private Round debitInOrder(Ctx ctx, Invoice invoice, int round, int position, List<Debitable> order, Reason reason,
                                List<PaymentAttempt> made) {
        for (Debitable m : order) {
            PaymentAttempt a = PaymentAttempt.pending(invoice.id(), invoice.account(), round, position++, m.id(), m.gateway(),
                    invoice.amountDue(), invoice.currency(), reason, ctx.now());
            attempts.writeAhead(ctx.tenantId(), a);
            a = ask(ctx, a, invoice, false);
            made.add(a);
            if (a.succeeded()) return paidByCard(ctx, invoice, a, reason, made);
            if (a.status() == Status.UNKNOWN) return undecided(ctx, invoice, a, reason, made);
        }
        return failed(ctx, invoice, Math.max(round, invoice.attemptCount()), reason, made);
    }

    /** {@code POST /v1/invoices/{id}/pay}: a round now, with the named method or all of them. */
    public Round pay(Tenant tenant, String invoiceId, String paymentMethodId, tollgate.core.RecoveryPoint point) {
        // Written before the round, so that a crash in the middle of it is cleared up even if nobody pays again; a
        // pay refused before any charge (409, 404, no card) writes nothing. The round starts here (decision 075).
        db.tx(tx -> {
            Instant now = clock.now(tx, tenant);
            Invoice invoice = invoices.get(new Ctx(tx, tenant, now), invoiceId);
            invoice.refuseUnlessOpen("paid");
            boolean something = paymentMethodId != null
                    ? methods.debitable(tx, tenant.id(), paymentMethodId).filter(m -> m.accountId().equals(invoice.account())).isPresent()
                    : !methods.debitOrder(tx, tenant.id(), invoice.account()).isEmpty();
            if (something) {
                timeline.schedule(tx, tenant.id(), now.plus(ASK_AGAIN_AFTER), RESOLVE, new InvoiceRef(invoiceId), now);
                point.reached(tx, invoiceId);
            }
            return null;
        });
        return db.tx(tx -> paymentRound(new Ctx(tx, tenant, clock.now(tx, tenant)), invoiceId, Reason.PAY, paymentMethodId));
    }

    /**
     * {@link #pay} for a retry that took over the {@code Idempotency-Key} of a pay cut off by a crash after its round began
     * (decision 075): an invoice paid since (by that round or anything else) answers as paid; an open one gets
     * {@link #pay}'s round, which first asks about the cut-off round's undecided charges with their own keys.
     */
    public Round payResumed(Tenant tenant, String invoiceId, String paymentMethodId, tollgate.core.RecoveryPoint point) {
        Invoice invoice = db.tx(tx -> invoices.get(new Ctx(tx, tenant, clock.now(tx, tenant)), invoiceId));
        if (invoice.status() == tollgate.invoicing.InvoiceStatus.PAID) return new Round(invoice, Outcome.PAID, Reason.PAY, List.of());
        return pay(tenant, invoiceId, paymentMethodId, point);
    }

    /** Asks again about the invoice's undecided charges (the {@code payment.resolve} job); charges nothing new. */
    public Round resolve(Ctx ctx, String invoiceId) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        Invoice invoice = invoices.lockOrNotFound(ctx, invoiceId);
        List<PaymentAttempt> made = new ArrayList<>();
        Round settled = askAboutEarlier(ctx, invoice, null, made);
        if (settled != null) return settled;
        if (made.isEmpty() || !invoice.isOpen() || invoice.amountDue() == 0) return new Round(invoice, Outcome.NOTHING_DUE, null, made);
        // Every earlier charge was declined (or given up): their round goes on with the methods it had not tried yet.
        PaymentAttempt last = made.getLast();
        Set<String> tried = new HashSet<>();
        int position = 0;
        for (PaymentAttempt a : attempts.ofInvoice(tx, tenant.id(), invoiceId))
            if (a.attempt() == last.attempt()) {
                tried.add(a.paymentMethod());
                position = Math.max(position, a.position() + 1);
            }
        // A pay may have named its card: the cards the payer did not choose are left alone. A charge given up unanswered
        // may have taken the money: no other card is tried after it, and the round ends as failed (dunning decides).
        boolean unanswered = made.stream().anyMatch(a -> a.status() == Status.UNRESOLVED);
        List<Debitable> rest = last.reason() == Reason.PAY || unanswered ? List.of()
                : methods.debitOrder(tx, tenant.id(), invoice.account()).stream().filter(m -> !tried.contains(m.id())).toList();
        return debitInOrder(ctx, invoice, last.attempt(), position, rest, last.reason(), made);
    }

    /**
     * A job that charges the invoice died (the timeline gave up on its row): a charge it left undecided is asked about
     * again an hour later ({@code payment.resolve}), as after a gateway's unknown answer, and given up 20 hours after
     * it was made like any other. So the invoice is paid, or goes on into dunning, instead of waiting for a person.
     * Nothing is scheduled when no charge is undecided (the job died before charging), nor when every undecided one was
     * already past asking: then the job's last run gave them up, which needs no gateway, and failed all the same, for a
     * reason another resolve would meet again.
     */
    public void resolveLater(Ctx ctx, String invoiceId) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        Instant now = ctx.now();
        if (attempts.undecided(tx, tenant.id(), invoiceId).stream().anyMatch(a -> !givenUp(a, now)))
            timeline.schedule(tx, tenant.id(), now.plus(ASK_AGAIN_AFTER), RESOLVE, new InvoiceRef(invoiceId), now);
    }

    /**
     * 409 {@code payment_pending} while a charge of the invoice may still turn out to have gone through: a payment or a
     * credit recorded meanwhile could take the customer's money twice.
     */
    public void refuseWhileUndecided(Ctx ctx, Invoice invoice) {
        for (PaymentAttempt a : attempts.undecided(ctx.tx(), ctx.tenantId(), invoice.id()))
            if (!givenUp(a, ctx.now()))
                throw Problem.conflict("payment_pending", "A charge of this invoice is waiting for the gateway's answer ("
                        + a.id() + "); try again once it is settled");
    }

    // ---- offline payments ----

    /**
     * {@code POST /v1/invoices/{id}/record_payment}: money that arrived outside the gateway (a wire transfer). Part of
     * what is due may be paid; more than is due, nothing, or a negative amount is refused (422). The {@code reference}
     * (the bank's, 1 to 200 characters) is required: SPEC §10 names it without "?", and it is what reconciles the money
     * with the invoice.
     */
    public Invoice recordPayment(Tenant tenant, String invoiceId, long amount, String method, String reference) {
        if (reference == null) throw Problem.missing("reference");
        if (reference.isBlank() || reference.length() > 200)
            throw Problem.invalid("reference", "parameter_invalid", "'reference' must have 1 to 200 characters");
        return db.tx(tx -> {
            Instant now = clock.now(tx, tenant);
            Invoice invoice = invoices.lockOrNotFound(new Ctx(tx, tenant, now), invoiceId);
            invoice.refuseUnlessTakesPayments();
            refuseWhileUndecided(new Ctx(tx, tenant, now), invoice);
            if (amount <= 0 || amount > invoice.amountDue())
                throw Problem.invalid("amount", "amount_invalid",
                        "'amount' must be between 1 and the " + invoice.amountDue() + " still due");
            Invoice after = invoice.paid(amount);
            invoices.markPaid(new Ctx(tx, tenant, now), after);
            received.insert(tx, tenant.id(), new Payment(Ids.next("pay"), invoice.id(), invoice.account(), amount,
                    invoice.currency(), method, reference, null, now));
            boolean settled = after.status() == tollgate.invoicing.InvoiceStatus.PAID;
            tell(new Ctx(tx, tenant, now), new Round(after, settled ? Outcome.PAID : Outcome.PARTLY_PAID, Reason.PAY, List.of()));
            return after;
        });
    }

    // ---- reading ----

    /** Why the invoice's latest round failed, as its first card was answered; null when no card was ever charged. */
    public String lastDeclineReason(Ctx ctx, String invoiceId) {
        List<PaymentAttempt> all = attempts.ofInvoice(ctx.tx(), ctx.tenantId(), invoiceId);
        if (all.isEmpty()) return null;
        int last = all.getLast().attempt();
        for (PaymentAttempt a : all) if (a.attempt() == last && a.declineReason() != null) return a.declineReason();
        return null;
    }

    public List<PaymentAttempt> attemptsOf(Tenant tenant, String invoiceId) {
        DSLContext dsl = db.dsl();
        if (invoices.find(Ctx.withoutClock(dsl, tenant), invoiceId).isEmpty()) throw Problem.notFound("invoice", invoiceId);
        return attempts.ofInvoice(dsl, tenant.id(), invoiceId);
    }

    public List<Payment> paymentsOf(Tenant tenant, String invoiceId) {
        DSLContext dsl = db.dsl();
        if (invoices.find(Ctx.withoutClock(dsl, tenant), invoiceId).isEmpty()) throw Problem.notFound("invoice", invoiceId);
        return received.ofInvoice(dsl, tenant.id(), invoiceId);
    }

    // ---- inside a round ----

    /**
     * Asks the gateway (again, for an earlier attempt: same key) and writes its answer in the round's transaction. A
     * gateway this server no longer has declines a new charge, and leaves one it may have received undecided.
     */
    private PaymentAttempt ask(Ctx ctx, PaymentAttempt a, Invoice invoice, boolean askedBefore) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        DebitResult result = gateways.named(tenant, a.gateway())
                .flatMap(g -> methods.debitableEvenIfDetached(tx, tenant.id(), a.paymentMethod())
                        .map(m -> g.debit(new DebitRequest(a.idempotencyKey(), m.id(), m.token(), a.amount(), a.currency(),
                                "Invoice " + invoice.number()))))
                // A gateway no longer configured cannot say what became of a charge made through it.
                .orElseGet(() -> askedBefore ? DebitResult.unknown("gateway " + a.gateway() + " is not configured")
                        : DebitResult.declined(null, "gateway_unavailable"));
        PaymentAttempt answered = a.answered(result, ctx.now());
        attempts.answer(tx, tenant.id(), answered);
        return answered;
    }

    /**
     * Asks the gateway again about every undecided charge of the invoice; one older than {@link #STOP_ASKING_AFTER} is
     * given up ({@code unresolved}, and {@code payment_attempt.unresolved} for a person to check) and counts as declined.
     * Answers the round's end when one of them succeeded or is still undecided, else null (all of them in {@code made}).
     */
    private Round askAboutEarlier(Ctx ctx, Invoice invoice, Reason reason, List<PaymentAttempt> made) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        Instant now = ctx.now();
        for (PaymentAttempt earlier : attempts.undecided(tx, tenant.id(), invoice.id())) {
            if (givenUp(earlier, now)) {
                PaymentAttempt abandoned = earlier.givenUp(now);
                attempts.answer(tx, tenant.id(), abandoned);
                events.append(tx, tenant.id(), "payment_attempt.unresolved", earlier.account(), now, abandoned);
                made.add(abandoned);
                continue;
            }
            PaymentAttempt a = ask(ctx, earlier, invoice, true);
            made.add(a);
            Reason why = reason != null ? reason : a.reason();
            if (a.succeeded()) return paidByCard(ctx, invoice, a, why, made);
            if (a.status() == Status.UNKNOWN) return undecided(ctx, invoice, a, why, made);
        }
        return null;
    }

    private static boolean givenUp(PaymentAttempt a, Instant now) {
        return a.createdAt().plus(STOP_ASKING_AFTER).isBefore(now);
    }

    /** Every charge of the round declined: {@code invoice.payment_failed}, and dunning begins or goes on. */
    private Round failed(Ctx ctx, Invoice invoice, int rounds, Reason reason, List<PaymentAttempt> made) {
        Invoice after = invoice.attempted(rounds, invoice.nextPaymentAttempt());
        invoices.paymentFailed(ctx, after, reason.wire(), made.getLast().declineReason());
        return tell(ctx, new Round(after, Outcome.FAILED, reason, made));
    }

    /**
     * A charge went through. The money is recorded in full as a payment; the invoice takes what it still owes. Money
     * beyond that (a charge that succeeded after the invoice was paid another way) is {@code invoice.overpaid}: to refund.
     */
    private Round paidByCard(Ctx ctx, Invoice invoice, PaymentAttempt a, Reason reason, List<PaymentAttempt> made) {
        long applied = invoice.isOpen() ? Math.min(a.amount(), invoice.amountDue()) : 0;
        String paymentId = Ids.next("pay");
        received.insert(ctx.tx(), ctx.tenantId(), new Payment(paymentId, invoice.id(), invoice.account(), a.amount(), invoice.currency(),
                "card", null, a.id(), ctx.now()));
        if (applied < a.amount()) invoices.overpaid(ctx, invoice, paymentId, a.amount(), applied);
        if (applied == 0) return new Round(invoice, Outcome.NOTHING_DUE, reason, made);
        Invoice after = invoice.attempted(Math.max(invoice.attemptCount(), a.attempt()), null).paid(applied);
        invoices.recordAttempts(ctx, after);
        invoices.markPaid(ctx, after);
        return tell(ctx, new Round(after, after.isOpen() ? Outcome.PARTLY_PAID : Outcome.PAID, reason, made));
    }

    private Round undecided(Ctx ctx, Invoice invoice, PaymentAttempt a, Reason reason, List<PaymentAttempt> made) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        Instant now = ctx.now();
        Invoice after = invoice.attempted(Math.max(invoice.attemptCount(), a.attempt()), invoice.nextPaymentAttempt());
        if (invoice.isOpen()) invoices.recordAttempts(ctx, after);
        timeline.schedule(tx, tenant.id(), now.plus(ASK_AGAIN_AFTER), RESOLVE, new InvoiceRef(invoice.id()), now);
        events.append(tx, tenant.id(), "payment_attempt.unknown", a.account(), now, a);
        return tell(ctx, new Round(after, Outcome.UNDECIDED, reason, made));
    }

    private Round tell(Ctx ctx, Round round) {
        tellAll(ctx, List.of(round));
        return round;
    }

    private void tellAll(Ctx ctx, List<Round> rounds) {
        List<Round> told = new ArrayList<>(rounds.size());
        for (Round round : rounds) {
            // An invoice sent to be paid is not past due before its due date, whatever a card paying it early answered.
            Invoice invoice = round.invoice();
            boolean unpaid = round.outcome() == Outcome.FAILED || round.outcome() == Outcome.NO_METHOD;
            if (!(unpaid && invoice.sentToPay() && ctx.now().isBefore(invoice.dueDate()))) told.add(round);
        }
        if (told.isEmpty()) return;
        for (RoundsListener l : listeners) l.after(ctx, told);
    }

    /**
     * The {@code invoice.overdue} job: an invoice sent to be paid still open on its due date is past due. To dunning it
     * is an invoice no card could be charged for ({@link Outcome#NO_METHOD}): its policy counts from now (decision 022).
     */
    public void overdue(Ctx ctx, String invoiceId) {
        Invoice invoice = invoices.lock(ctx, invoiceId).orElseThrow();
        if (!invoice.isOpen() || invoice.amountDue() == 0) return;
        tell(ctx, new Round(invoice, Outcome.NO_METHOD, Reason.ISSUE, List.of()));
    }
}
