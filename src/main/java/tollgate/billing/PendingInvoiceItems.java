package tollgate.billing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import tollgate.charges.ChargeSource;
import tollgate.charges.Charges;
import tollgate.invoicing.InvoiceItem;
import tollgate.invoicing.InvoiceLine;
import tollgate.invoicing.OneOffCharges;
import tollgate.tenants.Ctx;
import tollgate.tenants.Tenant;

/**
 * Pending invoice items ride on the account's next invoice, whatever issues it (the monthly license run, an
 * anniversary, a usage cycle's end): a rider of the billing run, asked only for accounts that are being invoiced at
 * that instant anyway, so that an item never makes an invoice of its own (a one-off invoice does that).
 */
public final class PendingInvoiceItems implements ChargeSource {
    private final OneOffCharges items;

    public PendingInvoiceItems(OneOffCharges items) {
        this.items = items;
    }

    @Override
    public Charges dueAt(Ctx ctx, Account account) {
        return dueAtAll(ctx, List.of(account)).getOrDefault(account.id(), Charges.NONE);
    }

    /** One query for the accounts' items (the run holds their locks); they are marked as billed at {@code at}. */
    @Override
    public Map<String, Charges> dueAtAll(Ctx ctx, List<Account> accounts) {
        Map<String, String> currencies = new HashMap<>();
        for (Account a : accounts) currencies.put(a.id(), a.currency());
        Map<String, List<InvoiceLine>> lines = new HashMap<>();
        for (InvoiceItem item : items.takePending(ctx, List.copyOf(currencies.keySet()), ctx.now())) {
            // An item is made in its account's currency, which never changes; a mismatch would be a bug.
            if (!item.currency().equals(currencies.get(item.account())))
                throw new IllegalStateException("item " + item.id() + " in " + item.currency() + " for an account in another currency");
            lines.computeIfAbsent(item.account(), a -> new ArrayList<>()).add(item.asLine());
        }
        Map<String, Charges> due = new HashMap<>();
        lines.forEach((account, ls) -> due.put(account, new Charges(ls, List.of())));
        return due;
    }
}
