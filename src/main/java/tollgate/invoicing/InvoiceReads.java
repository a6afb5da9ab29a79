package tollgate.invoicing;

import java.time.Instant;
import java.util.List;
import tollgate.accounts.AccountDirectory;
import tollgate.core.Database;
import tollgate.core.Page;
import tollgate.core.Paging;
import tollgate.core.Problem;
import tollgate.tenants.Tenant;

/**
 * Reads for pages that show an account's invoices without their lines (issue 13): an account with 10,000 licenses
 * has invoices of 10,000 lines each, and a list of 25 of them must not read 250,000 lines to show 25 rows. The
 * invoices come back with empty {@link Invoice#lines()} and {@link Invoice#discounts()}; their amounts are complete.
 */
public final class InvoiceReads {
    private final Database db;
    private final InvoiceStore store;
    private final AccountDirectory accounts;

    InvoiceReads(Database db, InvoiceStore store, AccountDirectory accounts) {
        this.db = db;
        this.store = store;
        this.accounts = accounts;
    }

    /** The account's invoices, newest first, without lines; {@code starting_after} must be one of them. */
    public Page<Invoice> list(Tenant tenant, String accountId, Paging paging) {
        if (accounts.find(db.dsl(), tenant.id(), accountId).isEmpty()) throw Problem.notFound("account", accountId);
        return Page.of(store.headers(db.dsl(), tenant.id(), accountId, paging.startingAfter(), paging.fetchSize()), paging.limit());
    }

    /** One invoice without lines: 404 {@code resource_missing} when the tenant has no such invoice. */
    public Invoice get(Tenant tenant, String invoiceId) {
        return store.header(db.dsl(), tenant.id(), invoiceId).orElseThrow(() -> Problem.notFound("invoice", invoiceId));
    }

    /** The subscription's lines of {@code kinds} for the period starting at {@code periodStart}, with its discounts there. */
    public Invoice.Lines ofPeriod(Tenant tenant, String accountId, String subscriptionId, Instant periodStart, List<String> kinds) {
        return store.periodLines(db.dsl(), tenant.id(), accountId, subscriptionId, periodStart, kinds);
    }
}
