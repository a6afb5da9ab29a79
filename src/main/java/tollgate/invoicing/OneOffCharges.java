package tollgate.invoicing;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import tollgate.accounts.Standing;
import tollgate.accounts.AccountDirectory;
import tollgate.core.Currencies;
import tollgate.core.Database;
import tollgate.core.Ids;
import tollgate.core.Metadata;
import tollgate.core.Page;
import tollgate.core.Paging;
import tollgate.core.Problem;
import tollgate.events.EventLog;
import tollgate.tenants.Tenant;
import tollgate.tenants.TenantClock;
import tollgate.tenants.Ctx;

/**
 * One-off charges (issue #10, SPEC §4): pending invoice items, which the account's next invoice takes whatever issues
 * it, and one-off invoices: a {@code draft} made through the API, given lines, then finalized (numbered, opened and
 * collected like any issued invoice), deleted or voided. The billing run's own issuing is {@link Invoices}'; this
 * class only adds to it. Every change locks the account first (decision 010's lock order).
 */
public final class OneOffCharges {
    /** The most an item may charge: the catalog's cap on a price (as Stripe's 99,999,999). */
    public static final long MAX_ITEM_AMOUNT = 99_999_999L;
    /** Enough for any hand-made invoice, and a bound on what one draft may hold. */
    public static final int MAX_DRAFT_LINES = 250;

    private final Database db;
    private final InvoiceStore invoices;
    private final InvoiceItemStore items;
    private final DocumentNumberStore numbers;
    private final AccountDirectory accounts;
    private final TenantClock clock;
    private final EventLog events;
    private final Invoices issuing;

    public OneOffCharges(Database db, InvoiceStore invoices, InvoiceItemStore items, DocumentNumberStore numbers, AccountDirectory accounts,
                         TenantClock clock, EventLog events, Invoices issuing) {
        this.db = db;
        this.invoices = invoices;
        this.items = items;
        this.numbers = numbers;
        this.accounts = accounts;
        this.clock = clock;
        this.events = events;
        this.issuing = issuing;
    }

    // ---- pending invoice items ----

    /**
     * The pending items of these accounts, oldest first, taken by the invoices of billing date {@code at} that the billing
     * run is issuing (it holds the accounts' locks): from now on they are billed.
     */
    public List<InvoiceItem> takePending(Ctx ctx, List<String> accountIds, Instant at) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        List<InvoiceItem> pending = items.pendingOf(tx, tenant.id(), accountIds);
        items.billedAt(tx, tenant.id(), pending.stream().map(InvoiceItem::id).toList(), at);
        return pending;
    }

    /** A pending item in the account's currency ({@code currency}, when given, must be it). */
    public InvoiceItem addItem(Tenant tenant, String accountId, Long amount, String description, String currency,
                               Map<String, String> metadata) {
        if (amount == null) throw Problem.missing("amount");
        if (amount < 1) throw Problem.invalid("amount", "parameter_invalid", "'amount' must be at least 1 (minor units)");
        if (amount > MAX_ITEM_AMOUNT)
            throw Problem.invalid("amount", "amount_too_large", "'amount' may be at most " + MAX_ITEM_AMOUNT + " minor units");
        String text = description(description, "description");
        Map<String, String> meta = Metadata.of(metadata, "metadata");
        return db.tx(tx -> {
            Standing account = accounts.lockStanding(tx, tenant.id(), accountId)
                    .orElseThrow(() -> Problem.notFound("account", accountId));
            if (currency != null && !Currencies.code(currency).equals(account.currency()))
                throw Problem.invalid("currency", "currency_mismatch", "The account is billed in " + account.currency()
                        + "; an item must be in that currency");
            Instant now = clock.now(tx, tenant);
            InvoiceItem item = new InvoiceItem(Ids.next("ii"), accountId, account.currency(), amount, text, meta,
                    InvoiceItem.PENDING, null, now);
            items.insert(tx, tenant.id(), item);
            events.append(tx, tenant.id(), "invoice_item.created", accountId, now, item);
            return item;
        });
    }

    /** The account's items, newest first ({@code pending} only, or all). */
    public Page<InvoiceItem> items(Tenant tenant, String accountId, boolean pendingOnly, Paging paging) {
        DSLContext dsl = db.dsl();
        if (accounts.find(dsl, tenant.id(), accountId).isEmpty()) throw Problem.notFound("account", accountId);
        String after = paging.startingAfter();
        if (after != null && items.find(dsl, tenant.id(), after).filter(i -> i.account().equals(accountId)).isEmpty())
            throw tollgate.core.NewestFirst.unknownStartingAfter(after);
        return Page.of(items.list(dsl, tenant.id(), accountId, pendingOnly, after, paging.fetchSize()), paging.limit());
    }

    /** Deletes a pending item; one already on an invoice answers 409 {@code invoice_item_invoiced}. */
    public Deleted deleteItem(Tenant tenant, String itemId) {
        return db.tx(tx -> {
            InvoiceItem seen = items.find(tx, tenant.id(), itemId).orElseThrow(() -> Problem.notFound("invoice item", itemId));
            accounts.lockStanding(tx, tenant.id(), seen.account()).orElseThrow();
            if (!items.deletePending(tx, tenant.id(), itemId))
                throw Problem.conflict("invoice_item_invoiced", "This item is on an invoice already; correct that invoice instead");
            events.append(tx, tenant.id(), "invoice_item.deleted", seen.account(), clock.now(tx, tenant), seen);
            return new Deleted(itemId);
        });
    }

    /** Which draft or item was deleted (the API answers api's {@code DeletedJson}, naming the kind). */
    public record Deleted(String id) {}

    // ---- one-off invoices ----

    /**
     * A draft for the account: no number, no billing date, its period the instant it was made. {@code lines} (may be
     * empty) are its first lines; {@code includePending} also moves the account's pending items onto it.
     */
    public Invoice createDraft(Tenant tenant, String accountId, List<InvoiceLine> lines, boolean includePending) {
        return createDraft(tenant, accountId, lines, includePending, PaymentTerms.CHARGE_AUTOMATICALLY);
    }

    /** A draft to be paid on {@code terms} (decision 028: as a subscription's, checked by {@link PaymentTerms#of}). */
    public Invoice createDraft(Tenant tenant, String accountId, List<InvoiceLine> lines, boolean includePending, PaymentTerms terms) {
        if (lines.size() > MAX_DRAFT_LINES) throw tooManyLines();
        return db.tx(tx -> {
            Standing account = accounts.lockStanding(tx, tenant.id(), accountId)
                    .orElseThrow(() -> Problem.notFound("account", accountId));
            Instant now = clock.now(tx, tenant);
            List<InvoiceItem> pending = includePending ? items.pendingOf(tx, tenant.id(), List.of(accountId)) : List.of();
            List<InvoiceLine> all = new java.util.ArrayList<>(lines);
            pending.forEach(i -> all.add(i.asLine()));
            if (all.size() > MAX_DRAFT_LINES) throw tooManyLines();
            Invoice draft = Invoice.draft(Ids.next("inv"), accountId, account.currency(), null, now, now, InvoiceDraftRules.lines(all), List.of(),
                    terms);
            invoices.insertDraft(tx, tenant.id(), draft, now);
            items.onInvoice(tx, tenant.id(), pending.stream().map(InvoiceItem::id).toList(), draft.id());
            events.append(tx, tenant.id(), "invoice.created", accountId, now, draft);
            return draft;
        });
    }

    /** Whether the account has a card to charge; a draft charged automatically needs one to be finalized. */
    @FunctionalInterface
    public interface PaymentMethodCheck {
        boolean hasPaymentMethod(DSLContext tx, String tenantId, String accountId);
    }

    private volatile PaymentMethodCheck paymentMethods = (tx, tenantId, accountId) -> true;

    public void requirePaymentMethods(PaymentMethodCheck check) {
        this.paymentMethods = check;
    }

    /**
     * Numbers the draft (the next of the gapless series, taken only now), opens it and hands it to collection. Charged
     * automatically, the account must have a card (402 {@code payment_method_required}, as a signup); sent to be paid,
     * it is due {@code days_until_due} days from now. Its charge, due now, runs on a test tenant before the API answers.
     */
    public Invoice finalizeDraft(Tenant tenant, String invoiceId) {
        return db.tx(tx -> {
            Invoice draft = lockDraft(Ctx.withoutClock(tx, tenant), invoiceId, "finalized");
            Instant now = clock.now(tx, tenant);
            // The account's credit pays first (decision 021): a card is needed only for what it leaves.
            long credit = issuing.applicableBalance(new Ctx(tx, tenant, now), draft.account(), draft.amountDue());
            if (!draft.sentToPay() && draft.amountDue() > credit && !paymentMethods.hasPaymentMethod(tx, tenant.id(), draft.account()))
                throw new Problem(402, "payment_method_required", "Add a payment method to the account before finalizing an invoice "
                        + "with collection_method charge_automatically, or make it with collection_method send_invoice", null);
            Invoice opened = draft.opened(DocumentSeries.INVOICE.format(numbers.next(tx, tenant.id(), DocumentSeries.INVOICE)), now,
                    dueDate(new Ctx(tx, tenant, now), draft));
            invoices.markOpen(tx, tenant.id(), opened, issuing.parties(new Ctx(tx, tenant, now), draft.account()));
            Invoice open = issuing.withAccountBalance(new Ctx(tx, tenant, now), opened);
            events.append(tx, tenant.id(), "invoice.issued", open.account(), now, open);
            Invoice result = open.settledIfNothingDue();
            if (result != open) {
                invoices.closeOpen(tx, tenant.id(), open.id(), result.status());
                events.append(tx, tenant.id(), "invoice.paid", result.account(), now, result);
            }
            issuing.issued(new Ctx(tx, tenant, now), List.of(result), java.util.Map.of());
            return invoices.find(tx, tenant.id(), invoiceId).orElseThrow();
        });
    }

    /** Deletes a draft; its pending items are pending again. Anything but a draft: 409 {@code invoice_not_draft}. */
    public Deleted deleteDraft(Tenant tenant, String invoiceId) {
        return db.tx(tx -> {
            Invoice draft = lockDraft(Ctx.withoutClock(tx, tenant), invoiceId, "deleted");
            items.release(tx, tenant.id(), invoiceId);
            if (!invoices.deleteDraft(tx, tenant.id(), invoiceId)) throw new IllegalStateException(invoiceId + " was a draft");
            events.append(tx, tenant.id(), "invoice.deleted", draft.account(), clock.now(tx, tenant), draft);
            return new Deleted(invoiceId);
        });
    }

    /**
     * Voids a draft: it takes its number (a void document keeps its place in the gapless series, and the schema holds
     * every non-draft to a number) and is void at once, never collected; its items stay on it. An empty draft can only
     * be deleted (422 {@code invoice_empty}).
     */
    public Invoice voidDraft(Tenant tenant, String invoiceId) {
        return db.tx(tx -> {
            Invoice draft = lockDraft(Ctx.withoutClock(tx, tenant), invoiceId, "voided");
            Instant now = clock.now(tx, tenant);
            Invoice open = draft.opened(DocumentSeries.INVOICE.format(numbers.next(tx, tenant.id(), DocumentSeries.INVOICE)), now,
                    dueDate(new Ctx(tx, tenant, now), draft));
            invoices.markOpen(tx, tenant.id(), open, issuing.parties(new Ctx(tx, tenant, now), draft.account()));
            Invoice voided = open.voided();
            invoices.closeOpen(tx, tenant.id(), invoiceId, voided.status());
            events.append(tx, tenant.id(), "invoice.voided", voided.account(), now, voided);
            return invoices.find(tx, tenant.id(), invoiceId).orElseThrow();
        });
    }

    /** Whether the invoice is a draft now (the API sends {@code void} of a draft here, of anything else to {@link Invoices}). */
    public boolean isDraft(Tenant tenant, String invoiceId) {
        return invoices.find(db.dsl(), tenant.id(), invoiceId).map(Invoice::isDraft).orElse(false);
    }

    private Invoice lockDraft(Ctx ctx, String invoiceId, String doing) {
        Invoice invoice = invoices.lock(ctx.tx(), ctx.tenantId(), invoiceId).orElseThrow(() -> Problem.notFound("invoice", invoiceId));
        if (!invoice.isDraft())
            throw Problem.conflict("invoice_not_draft", "Only a draft can be " + doing + "; this invoice is " + invoice.status().wire());
        if (invoice.lines().isEmpty() && !doing.equals("deleted"))
            throw Problem.invalid("lines", "invoice_empty", "This draft has no lines: add lines first"
                    + (doing.equals("voided") ? ", or delete it" : ""));
        return invoice;
    }

    /** When a draft sent to be paid and issued now is due, in the account's zone; null when it is charged. */
    private Instant dueDate(Ctx ctx, Invoice draft) {
        if (!draft.sentToPay()) return null;
        return draft.terms().dueDate(ctx.now(), java.time.ZoneId.of(accounts.find(ctx.tx(), ctx.tenantId(), draft.account()).orElseThrow().timezone()));
    }

    private static String description(String text, String field) {
        if (text == null) throw Problem.missing(field);
        if (text.isBlank() || text.length() > InvoiceLine.MAX_DESCRIPTION)
            throw Problem.invalid(field, "parameter_invalid", "'" + field + "' must have 1 to " + InvoiceLine.MAX_DESCRIPTION + " characters");
        return text.strip();
    }

    private static Problem tooManyLines() {
        return Problem.invalid("lines", "parameter_invalid", "A draft may have at most " + MAX_DRAFT_LINES + " lines");
    }
}
