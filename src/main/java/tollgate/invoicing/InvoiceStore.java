package tollgate.invoicing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;
import tollgate.core.Json;
import tollgate.core.NewestFirst;

/**
 * SQL for invoices, their lines and discounts; every query is scoped by tenant. Lines and amounts are written only
 * while an invoice is a draft: the writes below check the status in the same statement (or under the row's lock)
 * and throw otherwise. After that, only credits, payments and status changes touch an invoice.
 */
public final class InvoiceStore {
    private static final String COLUMNS = "id, account_id, number, status, currency, billing_date, issued_at, period_start, "
            + "period_end, subtotal, discount, tax, total, amount_paid, amount_credited, applied_balance, amount_due, attempt_count, "
            + "next_payment_attempt, collection_method, due_date, days_until_due";
    /** What is read: also the tenant's metadata, which is written only by {@link #updateMetadata}. */
    private static final String SELECTED = COLUMNS + ", metadata";
    private static final String LINE_COLUMNS = "id, invoice_id, kind, description, plan_id, subscription_id, license_id, "
            + "key_suffix, site_url, period_start, period_end, quantity, days, amount";

    /** Writes a draft with its lines and discounts. */
    public void insertDraft(DSLContext tx, String tenantId, Invoice draft, Instant now) {
        insertDraft(tx, tenantId, draft, 0, now);
    }

    /**
     * Writes a draft as its billing date's {@code billingSeq}-th invoice: 0 for the billing run's, 1, 2 … for charges that
     * arrived at that instant after its invoice was issued (decision 022). (account, billing date, seq) is unique.
     */
    public void insertDraft(DSLContext tx, String tenantId, Invoice draft, int billingSeq, Instant now) {
        if (!draft.isDraft()) throw new IllegalArgumentException("only drafts are inserted; " + draft.id() + " is " + draft.status().wire());
        tx.execute("insert into invoices (id, tenant_id, " + COLUMNS.substring(4) + ", created_at, billing_seq) "
                        + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                draft.id(), tenantId, draft.account(), draft.number(), draft.status().wire(), draft.currency(), draft.billingDate(),
                draft.issuedAt(), draft.periodStart(), draft.periodEnd(), draft.subtotal(), draft.discount(), draft.tax(),
                draft.total(), draft.amountPaid(), draft.amountCredited(), draft.appliedBalance(), draft.amountDue(),
                draft.attemptCount(), draft.nextPaymentAttempt(), draft.collectionMethod().wire(), draft.dueDate(), draft.daysUntilDue(),
                now, billingSeq);
        insertLines(tx, tenantId, draft.id(), draft.lines());
        insertDiscounts(tx, List.of(draft));
    }

    /**
     * The lines of invoices that this transaction is issuing, written before the invoices themselves (lines have no
     * foreign key to their invoice, V8): the billing run writes them before it takes the numbering lock, so that
     * concurrent batches wait for each other as briefly as possible. The invoices must follow in this transaction.
     */
    public void insertLinesOf(DSLContext tx, String tenantId, List<Invoice> invoices) {
        List<Object[]> lineRows = new ArrayList<>(invoices.size() * 10);
        for (Invoice v : invoices) {
            int position = 0;
            for (Invoice.Line l : v.lines()) lineRows.add(lineRow(l, v.id(), tenantId, position++));
        }
        tollgate.core.Bulk.insert(tx, "invoice_lines", LINE_ROW_COLUMNS, lineRows);
    }

    /** An invoice line as {@link #LINE_ROW_COLUMNS} lists its values. */
    private static Object[] lineRow(Invoice.Line l, String invoiceId, String tenantId, int position) {
        return new Object[] {l.id(), invoiceId, l.kind(), l.description(), l.plan(), l.subscription(), l.license(), l.keySuffix(),
                l.siteUrl(), l.periodStart(), l.periodEnd(), l.quantity(), l.days(), l.amount(), tenantId, position};
    }

    /**
     * Invoices that are issued in the same transaction as they are made (the billing run's): their drafts only ever
     * existed in memory, so they are written open, numbered, with their parties and discounts, a few statements for all
     * of them; their lines were written by {@link #insertLinesOf}. {@code billingSeqs}: each account's sequence number at
     * its billing date (decision 022; 0 when absent).
     */
    public void insertIssuedInvoices(DSLContext tx, String tenantId, List<Invoice> issued, List<InvoiceParties> parties,
                                     Map<String, Integer> billingSeqs, Instant now) {
        if (issued.isEmpty()) return;
        List<Object[]> invoiceRows = new ArrayList<>(issued.size());
        for (int i = 0; i < issued.size(); i++) {
            Invoice v = issued.get(i);
            if (!v.isOpen() || v.number() == null) throw new IllegalArgumentException(v.id() + " is not issued");
            invoiceRows.add(new Object[] {v.id(), tenantId, v.account(), v.number(), v.status().wire(), v.currency(), v.billingDate(),
                    v.issuedAt(), v.periodStart(), v.periodEnd(), v.subtotal(), v.discount(), v.tax(), v.total(), v.amountPaid(),
                    v.amountCredited(), v.appliedBalance(), v.amountDue(), v.attemptCount(), v.nextPaymentAttempt(),
                    v.collectionMethod().wire(), v.dueDate(), v.daysUntilDue(), Json.write(parties.get(i)), now,
                    billingSeqs.getOrDefault(v.account(), 0)});
        }
        tollgate.core.Bulk.insert(tx, "invoices", ISSUED_COLUMNS, invoiceRows);
        insertDiscounts(tx, issued);
    }

    /**
     * The discounts of {@code invoices}, each at its position: one prepared statement with its values bound, not jOOQ's
     * static batch, a statement text per discount with its values written in.
     */
    private static void insertDiscounts(DSLContext tx, List<Invoice> invoices) {
        List<Object[]> rows = new ArrayList<>();
        for (Invoice v : invoices) {
            for (int d = 0; d < v.discounts().size(); d++) {
                Discount x = v.discounts().get(d);
                rows.add(new Object[] {v.id(), d, x.coupon(), x.subscription(), x.description(), x.amount()});
            }
        }
        tollgate.core.Bulk.run(tx, "insert into invoice_discounts (invoice_id, position, coupon_id, subscription_id, description, amount) "
                + "values (?, ?, ?, ?, ?, ?)", rows);
    }

    private static final List<String> ISSUED_COLUMNS = columns("id, tenant_id, " + COLUMNS.substring(4) + ", parties, created_at, billing_seq");
    private static final List<String> LINE_ROW_COLUMNS = columns(LINE_COLUMNS + ", tenant_id, position");

    private static List<String> columns(String list) {
        return List.of(list.split(",\\s*"));
    }

    /** The accounts among {@code accountIds} that already have an invoice for {@code billingDate}. */
    public java.util.Set<String> invoicedAt(DSLContext db, String tenantId, List<String> accountIds, Instant billingDate) {
        String[] ids = accountIds.toArray(String[]::new);
        if (db.dialect().family() == org.jooq.SQLDialect.H2) {
            return new java.util.HashSet<>(db.fetch("select account_id from invoices where tenant_id = ? and billing_date = ? "
                    + "and account_id = any(?)", tenantId, billingDate, ids).getValues(0, String.class));
        }
        // One probe of the (tenant, account, billing date) index per account, whatever the statistics say: while the
        // billing run fills the table, a plan made from stale statistics filtered every invoice of the tenant instead.
        // (A lateral subquery with a limit is never turned into a join.)
        return new java.util.HashSet<>(db.fetch("select a.id from unnest(?) as a(id), lateral (select 1 from invoices i "
                + "where i.tenant_id = ? and i.account_id = a.id and i.billing_date = ? limit 1) as found",
                ids, tenantId, billingDate).getValues(0, String.class));
    }

    /**
     * Appends lines to a draft. Refuses (throws) for any invoice that is not a draft: this is the only way lines are
     * written, so an open invoice's lines cannot change through this store.
     */
    public void insertLines(DSLContext tx, String tenantId, String invoiceId, List<Invoice.Line> lines) {
        Record row = tx.fetchOptional("select status from invoices where tenant_id = ? and id = ? for update", tenantId, invoiceId)
                .orElseThrow(() -> new IllegalArgumentException("no invoice " + invoiceId));
        String status = row.get(0, String.class);
        if (!InvoiceStatus.DRAFT.wire().equals(status))
            throw new IllegalStateException("invoice " + invoiceId + " is " + status + ": only a draft's lines can be written");
        Integer last = tx.fetchOne("select max(position) from invoice_lines where invoice_id = ?", invoiceId).get(0, Integer.class);
        int position = last == null ? 0 : last + 1;
        List<Object[]> rows = new ArrayList<>(lines.size());
        for (Invoice.Line l : lines) rows.add(lineRow(l, invoiceId, tenantId, position++));
        tollgate.core.Bulk.insert(tx, "invoice_lines", LINE_ROW_COLUMNS, rows);
    }

    /** Writes a draft's amounts again (after lines were added); throws when the invoice is no longer a draft. */
    public void updateDraftAmounts(DSLContext tx, String tenantId, Invoice draft) {
        int n = tx.execute("update invoices set subtotal = ?, discount = ?, tax = ?, total = ?, amount_due = ? "
                        + "where tenant_id = ? and id = ? and status = 'draft'",
                draft.subtotal(), draft.discount(), draft.tax(), draft.total(), draft.amountDue(), tenantId, draft.id());
        requireOne(n, draft.id(), "draft");
    }

    /** The tenant's metadata on an invoice of any status: it is no accounting data. */
    public void updateMetadata(DSLContext tx, String tenantId, String invoiceId, java.util.Map<String, String> metadata) {
        int n = tx.execute("update invoices set metadata = ? where tenant_id = ? and id = ?",
                tollgate.core.Metadata.stored(metadata), tenantId, invoiceId);
        if (n != 1) throw new IllegalStateException("no invoice " + invoiceId);
    }

    /** Issues a draft: its number, {@code issued_at}, status {@code open}, and the parties as they are now. */
    public void markOpen(DSLContext tx, String tenantId, Invoice open, InvoiceParties parties) {
        int n = tx.execute("update invoices set status = 'open', number = ?, issued_at = ?, parties = ?, next_payment_attempt = ?, "
                        + "due_date = ? where tenant_id = ? and id = ? and status = 'draft'",
                open.number(), open.issuedAt(), Json.write(parties), open.nextPaymentAttempt(), open.dueDate(), tenantId, open.id());
        requireOne(n, open.id(), "draft");
    }

    /** The seller and buyer as they were when the invoice was issued; empty for a draft. */
    public Optional<InvoiceParties> parties(DSLContext db, String tenantId, String invoiceId) {
        String json = db.fetchOptional("select parties from invoices where tenant_id = ? and id = ?", tenantId, invoiceId)
                .map(r -> r.get(0, String.class)).orElse(null);
        if (json == null) return Optional.empty();
        return Optional.of(Json.read(json, InvoiceParties.class, "invoice " + invoiceId + " keeps unreadable parties"));
    }

    /** When the invoice was written: a draft's, which has no issue yet. */
    public Instant createdAt(DSLContext db, String tenantId, String invoiceId) {
        return db.fetchOne("select created_at from invoices where tenant_id = ? and id = ?", tenantId, invoiceId).get(0, Instant.class);
    }

    /** Records a credit on an open invoice: what was credited, what is still due, and the status that follows. */
    public void recordCredit(DSLContext tx, String tenantId, Invoice credited) {
        int n = tx.execute("update invoices set amount_credited = ?, amount_due = ?, status = ?, next_payment_attempt = ? "
                        + "where tenant_id = ? and id = ? and status = 'open'",
                credited.amountCredited(), credited.amountDue(), credited.status().wire(), credited.nextPaymentAttempt(),
                tenantId, credited.id());
        requireOne(n, credited.id(), "open");
    }

    /** Records what the account's credit balance paid of an open invoice at issue, and what is still due. */
    public void recordAppliedBalance(DSLContext tx, String tenantId, Invoice after) {
        int n = tx.execute("update invoices set applied_balance = ?, amount_due = ? where tenant_id = ? and id = ? and status = 'open'",
                after.appliedBalance(), after.amountDue(), tenantId, after.id());
        requireOne(n, after.id(), "open");
    }

    /** Moves an open invoice to {@code paid}, {@code void} or {@code uncollectible}; amounts stay, no attempt is next. */
    public void closeOpen(DSLContext tx, String tenantId, String invoiceId, InvoiceStatus status) {
        if (status == InvoiceStatus.DRAFT || status == InvoiceStatus.OPEN) throw new IllegalArgumentException(status.wire());
        int n = tx.execute("update invoices set status = ?, next_payment_attempt = null where tenant_id = ? and id = ? and status = 'open'",
                status.wire(), tenantId, invoiceId);
        requireOne(n, invoiceId, "open");
    }

    /** Records a payment on an open invoice (its amounts and status, and when it was paid in full). */
    public void recordPayment(DSLContext tx, String tenantId, Invoice after, Instant at) {
        int n = tx.execute("update invoices set amount_paid = ?, amount_due = ?, status = ?, next_payment_attempt = ?, "
                        + "paid_at = case when ? = 'paid' then cast(? as timestamp with time zone) else paid_at end "
                        + "where tenant_id = ? and id = ? and status in ('open', 'uncollectible')",
                after.amountPaid(), after.amountDue(), after.status().wire(), after.nextPaymentAttempt(),
                after.status().wire(), at, tenantId, after.id());
        requireOne(n, after.id(), "open or uncollectible");
    }

    /** Marks an open invoice past due with dunning's policy and steps (opaque JSON); false when it already was. */
    public boolean markPastDue(DSLContext tx, String tenantId, String invoiceId, Instant at, String policy, String stepsJson) {
        return tx.execute("update invoices set past_due_at = ?, dunning_policy = ?, dunning_steps = ? "
                        + "where tenant_id = ? and id = ? and past_due_at is null",
                at, policy, stepsJson, tenantId, invoiceId) == 1;
    }

    /** Records a payment round's count and the next automatic attempt on an open invoice. */
    public void recordAttempts(DSLContext tx, String tenantId, Invoice after) {
        int n = tx.execute("update invoices set attempt_count = ?, next_payment_attempt = ? where tenant_id = ? and id = ? and status = 'open'",
                after.attemptCount(), after.nextPaymentAttempt(), tenantId, after.id());
        requireOne(n, after.id(), "open");
    }

    /** The sequence number the next invoice of this billing date takes (decision 022): 0 when it has none yet. */
    public int nextSeq(DSLContext db, String tenantId, String accountId, Instant billingDate) {
        Integer last = db.fetchOne("select max(billing_seq) from invoices where tenant_id = ? and account_id = ? and billing_date = ?",
                tenantId, accountId, billingDate).get(0, Integer.class);
        return last == null ? 0 : last + 1;
    }

    public Optional<Invoice> find(DSLContext db, String tenantId, String id) {
        return db.fetchOptional("select " + SELECTED + " from invoices where tenant_id = ? and id = ?", tenantId, id)
                .map(r -> complete(db, List.of(r)).getFirst());
    }

    /**
     * Locks the invoice's account, then the invoice, for the rest of the transaction, and reads the invoice: changes to
     * one invoice take turns, and whoever changes an invoice holds its account first, as every writer of an account's
     * rows does (decision 010's lock order). Paying, crediting or voiding an invoice may end the account's dunning,
     * which reads its other invoices: two such changes on one account thus see each other's outcome.
     */
    public Optional<Invoice> lock(DSLContext tx, String tenantId, String id) {
        tx.fetch("select id from accounts where tenant_id = ? and id = (select account_id from invoices where tenant_id = ? "
                + "and id = ?) for update", tenantId, tenantId, id);
        return tx.fetchOptional("select " + SELECTED + " from invoices where tenant_id = ? and id = ? for update", tenantId, id)
                .map(r -> complete(tx, List.of(r)).getFirst());
    }

    /**
     * {@link #lock} for many invoices at once (a batch of first charges): their accounts, then the invoices, each in id
     * order so that two batches (or a batch and a one-invoice lock, which holds one account and then its invoice) never
     * wait for each other in a circle; then read, in id order, with their lines and discounts.
     */
    public List<Invoice> lockAll(DSLContext tx, String tenantId, List<String> ids) {
        return lockAll(tx, tenantId, ids, true);
    }

    /**
     * {@link #lockAll}, the invoices read {@code complete} (with their lines and discounts) or not: without, each is
     * answered with none, for a caller that reads only who owes what (a batch's first charges being written ahead).
     */
    public List<Invoice> lockAll(DSLContext tx, String tenantId, List<String> ids, boolean complete) {
        if (ids.isEmpty()) return List.of();
        String in = tollgate.core.Sql.placeholders(ids.size());
        tx.fetch("select id from accounts where tenant_id = ? and id in (select account_id from invoices where tenant_id = ? "
                + "and id in (" + in + ")) order by id for update", tollgate.core.Sql.args(ids, tenantId, tenantId));
        List<Record> rows = tx.fetch("select " + SELECTED + " from invoices where tenant_id = ? and id in (" + in + ") order by id for update",
                tollgate.core.Sql.args(ids, tenantId));
        if (complete) return complete(tx, rows);
        List<Invoice> heads = new ArrayList<>(rows.size());
        for (Record r : rows) heads.add(invoice(r, List.of(), List.of()));
        return heads;
    }

    /**
     * {@link #recordAttempts} and {@link #recordPayment} of many open invoices, each paid in full at {@code at}: one
     * statement per invoice, sent as one batch. Every invoice must still be open (the caller holds its lock).
     */
    public void paidInFull(DSLContext tx, String tenantId, List<Invoice> after, Instant at) {
        if (after.isEmpty()) return;
        for (Invoice a : after)
            if (a.status() != InvoiceStatus.PAID || a.amountDue() != 0) throw new IllegalArgumentException("invoice " + a.id() + " is not paid in full");
        String paid = InvoiceStatus.PAID.wire();
        if (tx.dialect().family() == org.jooq.SQLDialect.POSTGRES) {
            // One statement for the batch, the values as three arrays: the same statement per row cost ten times as much.
            int n = tx.execute("update invoices i set attempt_count = v.attempts, next_payment_attempt = null, amount_paid = v.paid, "
                            + "amount_due = 0, status = ?, paid_at = ? from unnest(?::varchar[], ?::integer[], ?::bigint[]) as v(id, attempts, paid) "
                            + "where i.tenant_id = ? and i.id = v.id and i.status = 'open'", paid, at,
                    after.stream().map(Invoice::id).toArray(String[]::new), after.stream().map(Invoice::attemptCount).toArray(Integer[]::new),
                    after.stream().map(Invoice::amountPaid).toArray(Long[]::new), tenantId);
            if (n != after.size()) throw new IllegalStateException(after.size() - n + " invoices of a batch paid in full were not open");
            return;
        }
        List<Object[]> rows = new ArrayList<>(after.size());
        for (Invoice a : after) rows.add(new Object[] {a.attemptCount(), a.amountPaid(), paid, at, tenantId, a.id()});
        int[] updated = tollgate.core.Bulk.run(tx, "update invoices set attempt_count = ?, next_payment_attempt = null, amount_paid = ?, "
                + "amount_due = 0, status = ?, paid_at = ? where tenant_id = ? and id = ? and status = 'open'", rows);
        for (int i = 0; i < updated.length; i++) requireOne(updated[i], after.get(i).id(), "open");
    }

    /** The account's invoices, newest first. */
    public List<Invoice> list(DSLContext db, String tenantId, String accountId, String startingAfter, int limit) {
        List<Record> rows = NewestFirst.page(db, "select " + SELECTED + " from invoices where tenant_id = ? and account_id = ?",
                List.of(tenantId, accountId), startingAfter, limit, r -> r);
        return complete(db, rows);
    }

    /** The account's invoices, newest first, without their lines and discounts (a list page shows neither). */
    public List<Invoice> headers(DSLContext db, String tenantId, String accountId, String startingAfter, int limit) {
        return NewestFirst.page(db, "select " + SELECTED + " from invoices where tenant_id = ? and account_id = ?",
                List.of(tenantId, accountId), startingAfter, limit, r -> invoice(r, List.of(), List.of()));
    }

    /** One invoice without its lines and discounts. */
    public Optional<Invoice> header(DSLContext db, String tenantId, String id) {
        return db.fetchOptional("select " + SELECTED + " from invoices where tenant_id = ? and id = ?", tenantId, id)
                .map(r -> invoice(r, List.of(), List.of()));
    }

    /**
     * The subscription's lines of {@code kinds} that start at {@code periodStart}, and the subscription's discounts on
     * the invoices holding them: only the account's invoices whose period covers that instant are read, each by its
     * (invoice_id, position) index, not every line the account was ever billed.
     */
    public Invoice.Lines periodLines(DSLContext db, String tenantId, String accountId, String subscriptionId, Instant periodStart,
                                     List<String> kinds) {
        // The invoices first, then their lines by a list of ids: H2 may read every line of the account's invoices for an
        // "in (select …)" (decision 047), a list of ids goes by the (invoice_id, position) index on both databases.
        List<Object> covering = new ArrayList<>(db.fetch("select id from invoices where tenant_id = ? and account_id = ? "
                + "and period_start <= ? and period_end >= ?", tenantId, accountId, periodStart, periodStart).getValues(0, String.class));
        List<Invoice.Line> lines = new ArrayList<>();
        java.util.Set<String> invoices = new java.util.LinkedHashSet<>();
        if (covering.isEmpty()) return new Invoice.Lines(lines, List.of());
        List<Object> args = new ArrayList<>(covering);
        args.add(subscriptionId);
        args.add(periodStart);
        args.addAll(kinds);
        for (Record r : db.fetch("select " + LINE_COLUMNS + " from invoice_lines where invoice_id in ("
                + tollgate.core.Sql.placeholders(covering.size()) + ") and subscription_id = ? "
                + "and period_start = ? and kind in (" + tollgate.core.Sql.placeholders(kinds.size()) + ") order by invoice_id, position",
                args.toArray())) {
            lines.add(line(r));
            invoices.add(r.get("invoice_id", String.class));
        }
        List<Discount> discounts = new ArrayList<>();
        if (!invoices.isEmpty()) {
            List<Object> dArgs = new ArrayList<>(invoices);
            dArgs.add(subscriptionId);
            for (Record r : db.fetch("select coupon_id, subscription_id, description, amount from invoice_discounts where invoice_id in ("
                    + tollgate.core.Sql.placeholders(invoices.size()) + ") and subscription_id = ? order by invoice_id, position", dArgs.toArray()))
                discounts.add(new Discount(r.get("coupon_id", String.class), r.get("subscription_id", String.class),
                        r.get("description", String.class), r.get("amount", Long.class)));
        }
        return new Invoice.Lines(lines, discounts);
    }

    /** What {@code GET /v1/invoices} filters on; null: any. The billing date range is [from, to). */

    /** The tenant's invoices, newest first, as the filter narrows them (decision 024). */
    public List<Invoice> listAll(DSLContext db, String tenantId, InvoiceFilter f, String startingAfter, int limit) {
        StringBuilder sql = new StringBuilder("select " + SELECTED + " from invoices where tenant_id = ?");
        List<Object> args = new ArrayList<>(List.of(tenantId));
        if (f.accountId() != null) { sql.append(" and account_id = ?"); args.add(f.accountId()); }
        if (f.status() != null) { sql.append(" and status = ?"); args.add(f.status().wire()); }
        if (f.number() != null) { sql.append(" and number = ?"); args.add(f.number()); }
        if (f.billingFrom() != null) { sql.append(" and coalesce(billing_date, issued_at) >= ?"); args.add(f.billingFrom()); }
        if (f.billingTo() != null) { sql.append(" and coalesce(billing_date, issued_at) < ?"); args.add(f.billingTo()); }
        if (f.currency() != null) { sql.append(" and currency = ?"); args.add(f.currency()); }
        if (f.pastDue()) sql.append(" and status = 'open' and past_due_at is not null");
        return complete(db, NewestFirst.page(db, sql.toString(), args, startingAfter, limit, r -> r));
    }

    /** Deletes a draft with its lines and discounts; false when it is not a draft (any more). */
    public boolean deleteDraft(DSLContext tx, String tenantId, String invoiceId) {
        if (!tx.fetchExists(tx.selectOne().from("invoices").where("tenant_id = ? and id = ? and status = 'draft'", tenantId, invoiceId)))
            return false;
        tx.execute("delete from invoice_discounts where invoice_id = ?", invoiceId);
        tx.execute("delete from invoice_lines where tenant_id = ? and invoice_id = ?", tenantId, invoiceId);
        return tx.execute("delete from invoices where tenant_id = ? and id = ? and status = 'draft'", tenantId, invoiceId) == 1;
    }

    /** Invoice rows with their lines and discounts, two queries for the whole page. */
    private static List<Invoice> complete(DSLContext db, List<Record> rows) {
        if (rows.isEmpty()) return List.of();
        List<String> ids = rows.stream().map(r -> r.get("id", String.class)).toList();
        String in = tollgate.core.Sql.placeholders(ids.size());
        Map<String, List<Invoice.Line>> lines = new LinkedHashMap<>();
        for (Record r : db.fetch("select " + LINE_COLUMNS + " from invoice_lines where invoice_id in (" + in + ") "
                + "order by invoice_id, position", ids.toArray())) {
            lines.computeIfAbsent(r.get(1, String.class), k -> new ArrayList<>()).add(line(r));
        }
        Map<String, List<Discount>> discounts = new LinkedHashMap<>();
        for (Record r : db.fetch("select invoice_id, coupon_id, subscription_id, description, amount from invoice_discounts "
                + "where invoice_id in (" + in + ") order by invoice_id, position", ids.toArray())) {
            discounts.computeIfAbsent(r.get("invoice_id", String.class), k -> new ArrayList<>())
                    .add(new Discount(r.get("coupon_id", String.class), r.get("subscription_id", String.class),
                            r.get("description", String.class), r.get("amount", Long.class)));
        }
        List<Invoice> out = new ArrayList<>(rows.size());
        for (Record r : rows) {
            String id = r.get("id", String.class);
            out.add(invoice(r, lines.getOrDefault(id, List.of()), discounts.getOrDefault(id, List.of())));
        }
        return out;
    }

    private static Invoice invoice(Record r, List<Invoice.Line> lines, List<Discount> discounts) {
        return new Invoice(r.get("id", String.class), r.get("account_id", String.class), r.get("number", String.class),
                InvoiceStatus.parse(r.get("status", String.class)), r.get("currency", String.class),
                // A one-off invoice has no billing date of a schedule: it shows when it was issued (decision 024).
                r.get("billing_date", Instant.class) != null ? r.get("billing_date", Instant.class) : r.get("issued_at", Instant.class),
                r.get("issued_at", Instant.class), r.get("period_start", Instant.class),
                r.get("period_end", Instant.class), r.get("subtotal", Long.class), r.get("discount", Long.class),
                r.get("tax", Long.class), r.get("total", Long.class), r.get("amount_paid", Long.class),
                r.get("amount_credited", Long.class), r.get("applied_balance", Long.class), r.get("amount_due", Long.class),
                r.get("attempt_count", Integer.class), r.get("next_payment_attempt", Instant.class), lines, discounts,
                PaymentTerms.Method.fromWire(r.get("collection_method", String.class)).orElseThrow(), r.get("due_date", Instant.class),
                r.get("days_until_due", Integer.class), tollgate.core.Metadata.read(r.get("metadata", String.class)));
    }

    /**
     * A line read by {@code select LINE_COLUMNS}, by position: looking each column up by name cost more than the rest of
     * reading a line (a batch of first charges reads 5,000 of them).
     */
    private static Invoice.Line line(Record r) {
        return new Invoice.Line(r.get(0, String.class), r.get(2, String.class), r.get(3, String.class),
                r.get(4, String.class), r.get(5, String.class), r.get(6, String.class),
                r.get(7, String.class), r.get(8, String.class), r.get(9, Instant.class),
                r.get(10, Instant.class), r.get(11, Long.class), r.get(12, Integer.class),
                r.get(13, Long.class));
    }

    private static void requireOne(int updated, String invoiceId, String expectedStatus) {
        if (updated != 1) throw new IllegalStateException("invoice " + invoiceId + " is not " + expectedStatus);
    }
}
