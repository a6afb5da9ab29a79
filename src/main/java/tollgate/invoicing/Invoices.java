package tollgate.invoicing;

import java.time.Instant;
import java.util.List;
import org.jooq.DSLContext;
import tollgate.accounts.Account;
import tollgate.accounts.AccountDirectory;
import tollgate.balances.AccountBalance;
import tollgate.balances.Balances;
import tollgate.core.Database;
import tollgate.core.Page;
import tollgate.core.Paging;
import tollgate.core.Problem;
import tollgate.events.EventLog;
import tollgate.tenants.Tenant;
import tollgate.tenants.TenantClock;
import tollgate.tenants.TenantProfile;
import tollgate.tenants.TenantProfileDirectory;
import tollgate.tenants.Ctx;

/**
 * Invoices (SPEC §4): issuing them inside the billing run's transaction with gapless numbers, reading them, their
 * PDF, and correcting open ones with credit notes. An open invoice's lines and amounts never change otherwise.
 */
public final class Invoices {
    private final Database db;
    private final InvoiceStore store;
    private final CreditNoteStore creditNotes;
    private final DocumentNumberStore numbers;
    private final AccountDirectory accounts;
    private final TenantProfileDirectory tenants;
    private final TenantClock clock;
    private final EventLog events;
    private final Balances balances;
    private final List<IssueListener> issueListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Told of invoices issued and still open (something is due), inside the issuing transaction. */
    @FunctionalInterface
    public interface IssueListener {
        /**
         * {@code buyers}: the accounts the invoices name, by id, as read (or opened) in this transaction at their issue,
         * before any credit balance was applied to the invoices (their {@code balance} may be out of date); it may lack
         * some (an invoice finalized by hand), which a listener that needs them reads itself.
         */
        void issued(Ctx ctx, List<Invoice> open, java.util.Map<String, Account> buyers);
    }

    private final List<SettledListener> settledListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Told when a credit note or voiding leaves an invoice with nothing to pay, inside that transaction. */
    @FunctionalInterface
    public interface SettledListener {
        void settled(Ctx ctx, Invoice invoice);
    }

    public void onSettled(SettledListener listener) {
        settledListeners.add(listener);
    }

    private final List<ClosingCheck> closingChecks = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Asked before a credit note or voiding lowers what an open invoice owes; throws to refuse (payments: a charge pending). */
    @FunctionalInterface
    public interface ClosingCheck {
        void beforeClosing(Ctx ctx, Invoice invoice);
    }

    public void onClosing(ClosingCheck check) {
        closingChecks.add(check);
    }

    public Invoices(Database db, InvoiceStore store, CreditNoteStore creditNotes, DocumentNumberStore numbers,
                    AccountDirectory accounts, TenantProfileDirectory tenants, TenantClock clock, EventLog events, Balances balances) {
        this.db = db;
        this.store = store;
        this.creditNotes = creditNotes;
        this.numbers = numbers;
        this.accounts = accounts;
        this.tenants = tenants;
        this.clock = clock;
        this.events = events;
        this.balances = balances;
        this.reads = new InvoiceReads(db, store, accounts);
    }

    private final InvoiceReads reads;

    /** Reads of invoices without their lines, for pages (issue 13). */
    public InvoiceReads reads() {
        return reads;
    }

    // ---- issuing ----

    /** Payments listen here to charge each invoice once it is issued. */
    public void onIssue(IssueListener listener) {
        issueListeners.add(listener);
    }

    void issued(Ctx ctx, List<Invoice> invoices, java.util.Map<String, Account> buyers) {
        List<Invoice> open = invoices.stream().filter(Invoice::isOpen).toList();
        if (open.isEmpty()) return;
        for (IssueListener l : issueListeners) l.issued(ctx, open, buyers);
    }

    /**
     * The accounts to invoice at {@code billingDate}, locked in id order with one statement (decision 010: an account's
     * lock before its other rows, so batches and a seat change or dunning step on one of their accounts take turns),
     * and which of them that instant has invoiced already, checked once under those locks. The billing run calls this
     * before it asks any charge source, and hands the result back to {@link #issue}.
     */
    public Buyers lockBuyers(Ctx ctx, List<String> accountIds, Instant billingDate) {
        return lockBuyers(ctx, accountIds, List.of(), billingDate);
    }

    /**
     * {@link #lockBuyers} with accounts the caller's transaction opened (decision 073): those are held as given, neither
     * locked nor read nor looked up for invoices, which they cannot have yet.
     */
    public Buyers lockBuyers(Ctx ctx, List<String> accountIds, List<Account> opened, Instant billingDate) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        if (accountIds.isEmpty()) return new Buyers(tenant.id(), billingDate, List.of(), java.util.Set.of(), opened);
        List<Account> locked = accounts.lockAll(tx, tenant.id(), accountIds);
        if (locked.size() < new java.util.HashSet<>(accountIds).size()) {
            java.util.Set<String> found = new java.util.HashSet<>();
            for (Account a : locked) found.add(a.id());
            String missing = accountIds.stream().filter(id -> !found.contains(id)).findFirst().orElseThrow();
            throw Problem.notFound("account", missing);
        }
        java.util.Set<String> invoiced = store.invoicedAt(tx, tenant.id(), accountIds, billingDate);
        return new Buyers(tenant.id(), billingDate, locked, invoiced, opened);
    }

    /**
     * Issues the drafts of {@code buyers}' accounts at their billing instant, inside the caller's transaction, with a
     * few statements in all rather than a dozen per invoice: lines, then one block of gapless numbers, then the open
     * invoices with their parties; {@code invoice.issued} for each; an invoice with nothing due (a zero total) is paid at
     * once ({@code invoice.paid}). A draft for an account already invoiced at that instant must be a follow-up (decision
     * 022: it takes the instant's next sequence number); anything else is a bug of the caller and throws. Answers the
     * invoices as issued.
     */
    public List<Invoice> issue(Ctx ctx, Buyers buyers, List<NewInvoice> drafts) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        Instant now = ctx.now();
        if (!buyers.tenantId().equals(tenant.id())) throw new IllegalArgumentException("buyers of another tenant");
        if (drafts.isEmpty()) return List.of();
        java.util.Map<String, Integer> seqs = billingSeqs(ctx, buyers, drafts);
        // Read again, not locked again: the sources may have changed the accounts this transaction holds (a time zone that
        // takes effect at month end), and the invoices name their buyers, due dates and credit as they are at issue.
        // An account opened by this transaction is as it was opened: nothing has changed it since.
        java.util.Map<String, Account> current = new java.util.HashMap<>();
        for (Account a : buyers.all()) if (buyers.opened(a.id())) current.put(a.id(), a);
        List<String> reread = drafts.stream().map(NewInvoice::accountId).filter(id -> !current.containsKey(id)).distinct().toList();
        if (!reread.isEmpty()) for (Account a : accounts.findAll(tx, tenant.id(), reread)) current.put(a.id(), a);
        List<Invoice> drafted = drafted(drafts, current);
        // The lines first: the numbering lock below is held until commit, and concurrent batches wait for it.
        store.insertLinesOf(tx, tenant.id(), drafted);
        TenantProfile seller = tenants.find(tx, tenant.id()).orElseThrow();
        List<InvoiceParties> parties = new java.util.ArrayList<>(drafted.size());
        for (Invoice d : drafted) parties.add(InvoiceParties.of(seller, current.get(d.account())));
        // Alone in the API's one transaction on PostgreSQL, the invoice is written with a placeholder and numbered by the
        // transaction's last statement (decision 058): the tenant's other issuers wait for the commit only, not for the
        // dozen statements that follow (the invoice, its events, payment round, e-mail, the subscription, the kept answer).
        String stand = drafted.size() == 1 && tx.dialect() == org.jooq.SQLDialect.POSTGRES ? placeholder(drafted.getFirst()) : null;
        boolean last = stand != null && db.last(end -> numberLast(end, tenant.id(), drafted.getFirst().account(), now, stand));
        List<Invoice> issued = last
                ? numbered(drafted, drafts, current, List.of(stand), now)
                : numbered(drafted, drafts, current, numbers.reserve(tx, tenant.id(), DocumentSeries.INVOICE, drafted.size()), now);
        store.insertIssuedInvoices(tx, tenant.id(), issued, parties, seqs, now);
        issued = withBalances(ctx, issued, current);
        events.appendAll(tx, tenant.id(), "invoice.issued", now, issued, Invoice::account);
        List<Invoice> settled = issued.stream().map(Invoice::settledIfNothingDue).filter(v -> !v.isOpen()).toList();
        for (Invoice v : settled) store.closeOpen(tx, tenant.id(), v.id(), v.status());
        events.appendAll(tx, tenant.id(), "invoice.paid", now, settled, Invoice::account);
        List<Invoice> result = issued.stream().map(Invoice::settledIfNothingDue).toList();
        issued(ctx, result.stream().filter(Invoice::isOpen).toList(), java.util.Map.copyOf(current));
        return result;
    }

    /**
     * Adds lines to a draft. Drafts live only inside the issuing transaction today, so every call through the API
     * meets an issued invoice and is refused: 409 {@code invoice_immutable}. Corrections are credit notes.
     */
    public Invoice addLines(Tenant tenant, String invoiceId, List<InvoiceLine> lines) {
        return db.tx(tx -> {
            Invoice invoice = store.lock(tx, tenant.id(), invoiceId).orElseThrow(() -> Problem.notFound("invoice", invoiceId));
            invoice.refuseUnlessDraft();
            if (invoice.lines().size() + lines.size() > OneOffCharges.MAX_DRAFT_LINES)
                throw Problem.invalid("lines", "parameter_invalid", "A draft may have at most " + OneOffCharges.MAX_DRAFT_LINES + " lines");
            List<Invoice.Line> added = InvoiceDraftRules.lines(lines);
            Invoice changed = invoice.withMoreLines(added);
            store.insertLines(tx, tenant.id(), invoiceId, added);
            store.updateDraftAmounts(tx, tenant.id(), changed);
            return changed;
        });
    }

    /** Voids an open invoice (nothing more is owed on it); records {@code invoice.voided}. */
    public Invoice voidInvoice(Tenant tenant, String invoiceId) {
        return db.tx(tx -> {
            Instant now = clock.now(tx, tenant);
            Invoice invoice = store.lock(tx, tenant.id(), invoiceId).orElseThrow(() -> Problem.notFound("invoice", invoiceId));
            if (invoice.isOpen()) for (ClosingCheck c : closingChecks) c.beforeClosing(new Ctx(tx, tenant, now), invoice);
            Invoice voided = invoice.voided();
            store.closeOpen(tx, tenant.id(), invoiceId, voided.status());
            events.append(tx, tenant.id(), "invoice.voided", voided.account(), now, voided);
            for (SettledListener l : settledListeners) l.settled(new Ctx(tx, tenant, now), voided);
            return voided;
        });
    }

    /**
     * Writes an open invoice off: {@code uncollectible}, no more payment attempts or dunning steps for it (as voiding),
     * its amounts kept for the record. Records {@code invoice.marked_uncollectible}. 409 {@code invoice_not_open} otherwise.
     */
    public Invoice markUncollectible(Tenant tenant, String invoiceId) {
        return db.tx(tx -> {
            Instant now = clock.now(tx, tenant);
            Invoice invoice = store.lock(tx, tenant.id(), invoiceId).orElseThrow(() -> Problem.notFound("invoice", invoiceId));
            Invoice written = invoice.markedUncollectible();
            for (ClosingCheck c : closingChecks) c.beforeClosing(new Ctx(tx, tenant, now), invoice);
            store.closeOpen(tx, tenant.id(), invoiceId, written.status());
            events.append(tx, tenant.id(), "invoice.marked_uncollectible", written.account(), now, written);
            for (SettledListener l : settledListeners) l.settled(new Ctx(tx, tenant, now), written);
            return written;
        });
    }

    /** {@code GET /v1/invoices}: the tenant's invoices, newest first; {@code starting_after} must be one of them. */
    public Page<Invoice> listAll(Tenant tenant, InvoiceFilter filter, Paging paging) {
        DSLContext dsl = db.dsl();
        if (filter.accountId() != null && accounts.find(dsl, tenant.id(), filter.accountId()).isEmpty())
            throw new Problem(404, "resource_missing", "No such account: '" + filter.accountId() + "'", "account");
        if (paging.startingAfter() != null && store.find(dsl, tenant.id(), paging.startingAfter()).isEmpty())
            throw tollgate.core.NewestFirst.unknownStartingAfter(paging.startingAfter());
        return Page.of(store.listAll(dsl, tenant.id(), filter, paging.startingAfter(), paging.fetchSize()), paging.limit());
    }

    /**
     * Merges {@code changes} into the invoice's metadata ({@link tollgate.core.Metadata}'s rules), whatever its status:
     * metadata is the tenant's own record, not accounting data. Records {@code invoice.updated} when it changed.
     */
    public Invoice updateMetadata(Tenant tenant, String invoiceId, java.util.Map<String, String> changes) {
        return db.tx(tx -> {
            Invoice before = store.lock(tx, tenant.id(), invoiceId).orElseThrow(() -> Problem.notFound("invoice", invoiceId));
            Invoice after = before.withMetadata(tollgate.core.Metadata.merged(before.metadata(), changes, "metadata"));
            if (after.metadata().equals(before.metadata())) return before;
            store.updateMetadata(tx, tenant.id(), invoiceId, after.metadata());
            events.append(tx, tenant.id(), "invoice.updated", after.account(), clock.now(tx, tenant), after);
            return after;
        });
    }

    // ---- reading ----

    public Invoice get(Tenant tenant, String invoiceId) {
        return store.find(db.dsl(), tenant.id(), invoiceId).orElseThrow(() -> Problem.notFound("invoice", invoiceId));
    }

    public Page<Invoice> list(Tenant tenant, String accountId, Paging paging) {
        if (accounts.find(db.dsl(), tenant.id(), accountId).isEmpty()) throw Problem.notFound("account", accountId);
        return Page.of(store.list(db.dsl(), tenant.id(), accountId, paging.startingAfter(), paging.fetchSize()), paging.limit());
    }

    /** The tenant's logo as stored (PNG or JPEG), printed at the top of its invoices (decision 049). */
    @FunctionalInterface
    public interface Logos {
        java.util.Optional<byte[]> of(String tenantId);
    }

    private volatile Logos logos = tenantId -> java.util.Optional.empty();

    /** Where the PDFs find the tenant's logo (the wiring gives the tenants' {@code TenantLogos}). */
    public void printLogos(Logos logos) {
        this.logos = logos;
    }

    private volatile PdfFonts fonts = PdfFonts.BUILT_IN;

    /** The fonts invoices and credit notes print with: Liberation Sans and the operator's fall-backs (decision 088). */
    public void printWith(PdfFonts fonts) {
        this.fonts = fonts;
    }

    /** The most credit notes an invoice's PDF names (the newest, printed oldest first); more are rare enough to leave to their list. */
    private static final int MAX_CREDIT_NOTES_PRINTED = 100;

    /** A rendered invoice and the name to save it under: its number (a draft, which has none: its id) and ".pdf". */
    public record Pdf(String filename, byte[] bytes) {}

    /** The invoice as a PDF, with both companies as they were when it was issued (a draft: as they are now). */
    public Pdf pdf(Tenant tenant, String invoiceId) {
        DSLContext dsl = db.dsl();
        Invoice invoice = store.find(dsl, tenant.id(), invoiceId).orElseThrow(() -> Problem.notFound("invoice", invoiceId));
        InvoiceParties parties = store.parties(dsl, tenant.id(), invoiceId).orElseGet(() -> parties(Ctx.withoutClock(dsl, tenant), invoice.account()));
        // Credited before payment, or paid (and perhaps given back after): only then has it credit notes to name.
        List<CreditNote> notes = invoice.amountCredited() == 0 && invoice.status() != InvoiceStatus.PAID ? List.of()
                : creditNotes.ofInvoice(dsl, tenant.id(), invoiceId, null, MAX_CREDIT_NOTES_PRINTED).reversed();
        Instant created = invoice.isDraft() ? store.createdAt(dsl, tenant.id(), invoiceId) : null; // a draft's PDF is dated so
        return new Pdf((invoice.number() != null ? invoice.number() : invoice.id()) + ".pdf", InvoicePdf.render(invoice, parties,
                logos.of(tenant.id()).orElse(null), fonts, notes, created));
    }

    /** Each draft's sequence number at its billing date (decision 022), once the drafts are checked against the buyers. */
    private java.util.Map<String, Integer> billingSeqs(Ctx ctx, Buyers buyers, List<NewInvoice> drafts) {
        java.util.Map<String, Integer> seqs = new java.util.HashMap<>();
        for (NewInvoice d : drafts) {
            if (seqs.containsKey(d.accountId()) || !buyers.holds(d.accountId()))
                throw new IllegalArgumentException("account " + d.accountId() + " was not locked for this issue, or has two drafts");
            if (!d.billingDate().equals(buyers.billingDate()))
                throw new IllegalArgumentException("a draft of " + d.billingDate() + " among buyers of " + buyers.billingDate());
            if (buyers.invoiced(d.accountId()) && !d.followUp())
                throw new IllegalStateException("account " + d.accountId() + " is invoiced at " + d.billingDate() + " already");
            seqs.put(d.accountId(), d.followUp() ? store.nextSeq(ctx.tx(), ctx.tenantId(), d.accountId(), d.billingDate()) : 0);
        }
        return seqs;
    }

    /** {@link #withBalance} for each invoice of a batch whose account holds credit (read with its lock: current). */
    private List<Invoice> withBalances(Ctx ctx, List<Invoice> issued, java.util.Map<String, Account> buyers) {
        List<Invoice> out = new java.util.ArrayList<>(issued.size());
        for (Invoice v : issued) {
            long balance = buyers.get(v.account()).balance();
            out.add(balance < 0 ? withBalance(ctx, v, balance) : v);
        }
        return out;
    }

    /** The part of {@code amountDue} the account's credit would pay (read under the account's lock). */
    long applicableBalance(Ctx ctx, String accountId, long amountDue) {
        return AccountBalance.applicable(balances.lockBalance(ctx, accountId), amountDue);
    }

    /** {@link #withBalance} for an invoice opened outside the billing run (a one-off invoice finalized). */
    Invoice withAccountBalance(Ctx ctx, Invoice open) {
        return withBalance(ctx, open, balances.lockBalance(ctx, open.account()));
    }

    /**
     * An invoice just opened takes what it can of the account's credit {@code balance} before any card is charged
     * (SPEC §4): {@code applied_balance} rises, {@code amount_due} falls, and the balance by as much.
     */
    private Invoice withBalance(Ctx ctx, Invoice open, long balance) {
        long applied = AccountBalance.applicable(balance, open.amountDue());
        if (applied == 0) return open;
        Invoice after = open.withAppliedBalance(applied);
        store.recordAppliedBalance(ctx.tx(), ctx.tenantId(), after);
        balances.applyToInvoice(ctx, open.account(), open.currency(), balance, applied, open.id());
        return after;
    }

    private static List<Invoice> drafted(List<NewInvoice> drafts, java.util.Map<String, Account> buyers) {
        List<Invoice> drafted = new java.util.ArrayList<>(drafts.size());
        for (NewInvoice d : drafts) drafted.add(InvoiceDraftRules.draft(d, buyers.get(d.accountId()).currency()));
        return drafted;
    }

    private static List<Invoice> numbered(List<Invoice> drafted, List<NewInvoice> drafts, java.util.Map<String, Account> buyers,
                                          long first, Instant now) {
        List<String> numbers = new java.util.ArrayList<>(drafted.size());
        for (int i = 0; i < drafted.size(); i++) numbers.add(DocumentSeries.INVOICE.format(first + i));
        return numbered(drafted, drafts, buyers, numbers, now);
    }

    private static List<Invoice> numbered(List<Invoice> drafted, List<NewInvoice> drafts, java.util.Map<String, Account> buyers,
                                          List<String> numbers, Instant now) {
        List<Invoice> issued = new java.util.ArrayList<>(drafted.size());
        for (int i = 0; i < drafted.size(); i++) {
            Invoice d = drafted.get(i);
            Instant due = drafts.get(i).terms().dueDate(now, java.time.ZoneId.of(buyers.get(d.account()).timezone()));
            issued.add(d.opened(numbers.get(i), now, due));
        }
        return issued;
    }

    /**
     * What an invoice numbered last carries as its number until then: unique per tenant (its id's random part behind a
     * {@code ~}, which no real number has), and seen by nothing outside the transaction.
     */
    private static String placeholder(Invoice draft) {
        return "~" + draft.id().substring(draft.id().indexOf('_') + 1);
    }

    /** Told of an invoice's real number where its placeholder was written, in the transaction's last work. */
    @FunctionalInterface
    public interface NumberedListener {
        void numbered(DSLContext tx, String tenantId, String accountId, Instant at, String placeholder, String number);
    }

    private final List<NumberedListener> numberedListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Those who copied an invoice's number into rows of their own while it was issued (the invoice e-mail's data). */
    public void onNumbered(NumberedListener listener) {
        numberedListeners.add(listener);
    }

    /**
     * The transaction's last work for an invoice written with {@code placeholder}: its number taken and written on it in
     * one statement, then the placeholder replaced by the number where the issue copied it (its events' data, and the
     * rows of {@link #onNumbered}'s listeners).
     */
    private void numberLast(DSLContext tx, String tenantId, String accountId, Instant at, String placeholder) {
        String number = numbers.numberLast(tx, tenantId, DocumentSeries.INVOICE, placeholder);
        events.replaceInData(tx, tenantId, accountId, at, placeholder, number);
        for (NumberedListener l : numberedListeners) l.numbered(tx, tenantId, accountId, at, placeholder, number);
    }

    /** The seller and the buyer as an invoice of {@code accountId} names them now (one-off invoices use it too). */
    InvoiceParties parties(Ctx ctx, String accountId) {
        DSLContext dsl = ctx.tx();
        Tenant tenant = ctx.tenant();
        Account buyer = accounts.find(dsl, tenant.id(), accountId).orElseThrow();
        TenantProfile seller = tenants.find(dsl, tenant.id()).orElseThrow();
        return InvoiceParties.of(seller, buyer);
    }

    // ---- credit notes ----

    /**
     * A credit note on an open invoice for {@code entries} or {@code amount} (both null: everything still due). Takes
     * the next credit-note number, lowers what is due and records {@code credit_note.created}, then {@code invoice.paid}
     * when nothing is left to pay or {@code invoice.updated} otherwise.
     */
    public CreditNote credit(Tenant tenant, String invoiceId, List<CreditNoteRules.Entry> entries, Long amount, String reason,
                             tollgate.core.RecoveryPoint point) {
        return db.tx(tx -> {
            Instant now = clock.now(tx, tenant);
            // The invoice's lock makes credits (and later payments) of one invoice take turns.
            Invoice invoice = store.lock(tx, tenant.id(), invoiceId).orElseThrow(() -> Problem.notFound("invoice", invoiceId));
            if (invoice.isOpen()) for (ClosingCheck c : closingChecks) c.beforeClosing(new Ctx(tx, tenant, now), invoice);
            CreditNote draft = CreditNoteRules.credit(invoice, creditNotes.creditedByLine(tx, tenant.id(), invoiceId), entries,
                    amount, reason, now);
            CreditNote note = record(new Ctx(tx, tenant, now), draft);
            Invoice after = invoice.credited(note.amount());
            store.recordCredit(tx, tenant.id(), after);
            events.append(tx, tenant.id(), after.status() == InvoiceStatus.PAID ? "invoice.paid" : "invoice.updated",
                    after.account(), now, after);
            if (after.status() == InvoiceStatus.PAID) for (SettledListener l : settledListeners) l.settled(new Ctx(tx, tenant, now), after);
            point.reached(tx, note.id());
            return note;
        });
    }

    /**
     * The credit note of a paid invoice (locked by the caller's transaction), after payments has checked what may be
     * given back: numbered, written, and recorded as {@code credit_note.created}. The invoice itself does not change: it
     * stays paid, as in Stripe; what was given back is on its credit notes and refunds.
     */
    public CreditNote recordAfterPayment(Ctx ctx, CreditNote draft) {
        if (!CreditNote.POST_PAYMENT.equals(draft.type())) throw new IllegalArgumentException("not a post-payment note: " + draft.type());
        return record(ctx, draft);
    }

    private CreditNote record(Ctx ctx, CreditNote draft) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        CreditNote note = draft.numbered(DocumentSeries.CREDIT_NOTE.format(numbers.next(tx, tenant.id(), DocumentSeries.CREDIT_NOTE)));
        creditNotes.insert(tx, tenant.id(), note);
        events.append(tx, tenant.id(), "credit_note.created", note.account(), ctx.now(), note);
        return note;
    }

    /** What earlier credit notes (but void ones) took off each line of the invoice. */
    public java.util.Map<String, Long> creditedByLine(Ctx ctx, String invoiceId) {
        return creditNotes.creditedByLine(ctx.tx(), ctx.tenantId(), invoiceId);
    }

    /** What the invoice's credit notes after payment (but void ones) gave back in all. */
    public long creditedAfterPayment(Ctx ctx, String invoiceId) {
        return creditNotes.creditedAfterPayment(ctx.tx(), ctx.tenantId(), invoiceId);
    }

    /** A post-payment note whose refund the gateway refused: void, and {@code credit_note.voided} (with its failed refund). */
    public void voidAfterRefundFailed(Ctx ctx, String creditNoteId) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        creditNotes.markVoid(tx, tenant.id(), creditNoteId);
        CreditNote voided = creditNotes.find(tx, tenant.id(), creditNoteId).orElseThrow();
        events.append(tx, tenant.id(), "credit_note.voided", voided.account(), ctx.now(), voided);
    }

    /** The credit note as a PDF: its number and ".pdf". */
    public Pdf creditNotePdf(Tenant tenant, String creditNoteId) {
        DSLContext dsl = db.dsl();
        CreditNote note = creditNotes.find(dsl, tenant.id(), creditNoteId).orElseThrow(() -> Problem.notFound("credit note", creditNoteId));
        Invoice invoice = store.find(dsl, tenant.id(), note.invoice()).orElseThrow();
        InvoiceParties parties = store.parties(dsl, tenant.id(), invoice.id()).orElseGet(() -> parties(Ctx.withoutClock(dsl, tenant), invoice.account()));
        return new Pdf(note.number() + ".pdf", CreditNotePdf.render(note, invoice, parties, fonts));
    }

    public Page<CreditNote> creditNotes(Tenant tenant, String invoiceId, Paging paging) {
        if (store.find(db.dsl(), tenant.id(), invoiceId).isEmpty()) throw Problem.notFound("invoice", invoiceId);
        return Page.of(creditNotes.ofInvoice(db.dsl(), tenant.id(), invoiceId, paging.startingAfter(), paging.fetchSize()),
                paging.limit());
    }

    public CreditNote creditNote(Tenant tenant, String creditNoteId) {
        return creditNotes.find(db.dsl(), tenant.id(), creditNoteId).orElseThrow(() -> Problem.notFound("credit note", creditNoteId));
    }
}
