package tollgate.billing;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jooq.DSLContext;
import tollgate.accounts.Account;
import tollgate.accounts.AccountStore;
import tollgate.invoicing.Discount;
import tollgate.invoicing.InvoiceLine;
import tollgate.invoicing.NewInvoice;
import tollgate.tenants.Tenant;
import tollgate.tenants.TenantStore;
import tollgate.timeline.Timeline;

/**
 * The billing run for one account at one instant: the timeline's {@code billing.run} job. It asks every
 * {@link ChargeSource} what is due, inside the transaction that claimed the row, and writes one invoice
 * for all of it; claiming, invoicing and marking the row done commit together (exactly once).
 */
public final class BillingRun implements BillingSchedule {
    /** Writes an invoice; answers false when the account already has one for that billing instant. */
    @FunctionalInterface
    public interface InvoiceWriter {
        boolean write(DSLContext tx, Tenant tenant, NewInvoice invoice, Instant now);
    }

    private final Timeline timeline;
    private final TenantStore tenants;
    private final AccountStore accounts;
    private final InvoiceWriter invoices;
    private final List<ChargeSource> sources = new CopyOnWriteArrayList<>();

    public BillingRun(Timeline timeline, TenantStore tenants, AccountStore accounts, InvoiceWriter invoices) {
        this.timeline = timeline;
        this.tenants = tenants;
        this.accounts = accounts;
        this.invoices = invoices;
        timeline.register(JOB, (tx, due) -> run(tx, tenants.find(tx, due.tenantId()).orElseThrow(), due.ref(), due.dueAt()));
    }

    public void addSource(ChargeSource source) {
        sources.add(source);
    }

    @Override
    public void schedule(DSLContext tx, String tenantId, String accountId, Instant at) {
        timeline.schedule(tx, tenantId, at, JOB, accountId, at);
    }

    @Override
    public void billNow(DSLContext tx, Tenant tenant, String accountId, Instant at) {
        run(tx, tenant, accountId, at);
    }

    /** Everything due for the account at {@code at}, on one invoice (none when nothing is due). */
    void run(DSLContext tx, Tenant tenant, String accountId, Instant at) {
        Account account = accounts.find(tx, tenant.id(), accountId).orElseThrow();
        ChargeSource.Account billed = new ChargeSource.Account(account.id(), account.currency(), ZoneId.of(account.timezone()));
        List<InvoiceLine> lines = new ArrayList<>();
        List<Discount> discounts = new ArrayList<>();
        for (ChargeSource source : sources) {
            Charges due = source.dueAt(tx, tenant, billed, at);
            lines.addAll(due.lines());
            discounts.addAll(due.discounts());
        }
        if (lines.isEmpty()) return;
        Instant start = lines.stream().map(InvoiceLine::periodStart).filter(Objects::nonNull).min(Comparator.naturalOrder()).orElse(at);
        Instant end = lines.stream().map(InvoiceLine::periodEnd).filter(Objects::nonNull).max(Comparator.naturalOrder()).orElse(at);
        invoices.write(tx, tenant, new NewInvoice(account.id(), account.currency(), at, start, end, lines, discounts), at);
    }
}
