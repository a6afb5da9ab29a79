package tollgate.invoicing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;
import tollgate.core.Metadata;
import tollgate.core.NewestFirst;
import tollgate.core.Sql;

/**
 * SQL for pending invoice items. An item is pending while it has neither an invoice nor a billing date; the
 * invoice of an item the billing run took is the account's invoice of that billing date (the run's own, sequence 0:
 * later invoices at the same instant, decision 022, never take items).
 */
public final class InvoiceItemStore {
    private static final String COLUMNS = "id, account_id, currency, amount, description, metadata, created_at, "
            + "coalesce(invoice_id, (select v.id from invoices v where v.tenant_id = invoice_items.tenant_id "
            + "and v.account_id = invoice_items.account_id and v.billing_date = invoice_items.billed_at and v.billing_seq = 0)) as invoice, "
            + "case when invoice_id is null and billed_at is null then 'pending' else 'invoiced' end as status";
    private static final String PENDING = "invoice_id is null and billed_at is null";

    public void insert(DSLContext tx, String tenantId, InvoiceItem item) {
        tx.execute("insert into invoice_items (id, tenant_id, account_id, currency, amount, description, metadata, created_at) "
                        + "values (?, ?, ?, ?, ?, ?, ?, ?)", item.id(), tenantId, item.account(), item.currency(), item.amount(),
                item.description(), Metadata.stored(item.metadata()), item.createdAt());
    }

    public Optional<InvoiceItem> find(DSLContext db, String tenantId, String id) {
        return db.fetchOptional("select " + COLUMNS + " from invoice_items where tenant_id = ? and id = ?", tenantId, id)
                .map(InvoiceItemStore::item);
    }

    /** The account's items, newest first; {@code pendingOnly} leaves out those already invoiced. */
    public List<InvoiceItem> list(DSLContext db, String tenantId, String accountId, boolean pendingOnly, String startingAfter, int limit) {
        return NewestFirst.page(db, "select " + COLUMNS + " from invoice_items where tenant_id = ? and account_id = ?"
                + (pendingOnly ? " and " + PENDING : ""), List.of(tenantId, accountId), startingAfter, limit, InvoiceItemStore::item);
    }

    /** The pending items of these accounts, oldest first: the caller holds the accounts' locks. */
    public List<InvoiceItem> pendingOf(DSLContext tx, String tenantId, List<String> accountIds) {
        if (accountIds.isEmpty()) return List.of();
        List<Object> args = new ArrayList<>(List.of(tenantId));
        args.addAll(accountIds);
        return tx.fetch("select " + COLUMNS + " from invoice_items where tenant_id = ? and account_id in ("
                + Sql.placeholders(accountIds.size()) + ") and " + PENDING + " order by account_id, id", args.toArray())
                .map(InvoiceItemStore::item);
    }

    /** Marks items as taken by the invoice of billing date {@code at}. */
    public void billedAt(DSLContext tx, String tenantId, List<String> itemIds, Instant at) {
        if (itemIds.isEmpty()) return;
        List<Object> args = new ArrayList<>(List.of(at, tenantId));
        args.addAll(itemIds);
        tx.execute("update invoice_items set billed_at = ? where tenant_id = ? and id in (" + Sql.placeholders(itemIds.size())
                + ") and " + PENDING, args.toArray());
    }

    /** Marks items as lines of a one-off invoice. */
    public void onInvoice(DSLContext tx, String tenantId, List<String> itemIds, String invoiceId) {
        if (itemIds.isEmpty()) return;
        List<Object> args = new ArrayList<>(List.of(invoiceId, tenantId));
        args.addAll(itemIds);
        tx.execute("update invoice_items set invoice_id = ? where tenant_id = ? and id in (" + Sql.placeholders(itemIds.size())
                + ") and " + PENDING, args.toArray());
    }

    /** A deleted draft gives its items back: pending again. */
    public void release(DSLContext tx, String tenantId, String invoiceId) {
        tx.execute("update invoice_items set invoice_id = null where tenant_id = ? and invoice_id = ?", tenantId, invoiceId);
    }

    /** Deletes a pending item; false when it is not pending (any more). */
    public boolean deletePending(DSLContext tx, String tenantId, String id) {
        return tx.execute("delete from invoice_items where tenant_id = ? and id = ? and " + PENDING, tenantId, id) == 1;
    }

    private static InvoiceItem item(Record r) {
        return new InvoiceItem(r.get("id", String.class), r.get("account_id", String.class), r.get("currency", String.class),
                r.get("amount", Long.class), r.get("description", String.class), Metadata.read(r.get("metadata", String.class)),
                r.get("status", String.class), r.get("invoice", String.class), r.get("created_at", Instant.class));
    }
}
