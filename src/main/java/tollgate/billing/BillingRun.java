package tollgate.billing;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jooq.DSLContext;
import tollgate.accounts.Account;
import tollgate.charges.ChargeSource;
import tollgate.charges.Charges;
import tollgate.invoicing.Buyers;
import tollgate.invoicing.Discount;
import tollgate.invoicing.InvoiceLine;
import tollgate.invoicing.Invoices;
import tollgate.invoicing.NewInvoice;
import tollgate.tenants.Ctx;
import tollgate.tenants.Tenant;
import tollgate.tenants.TenantLookup;
import tollgate.timeline.Due;
import tollgate.timeline.Job;
import tollgate.timeline.Timeline;

/**
 * The billing run for one account at one instant: the timeline's {@code billing.run} job. Inside the transaction that
 * claimed the row it has {@link Invoices} lock the accounts and tell which are invoiced at that instant already, asks
 * every {@link ChargeSource} what is due for the others, and hands the drafts to {@link Invoices#issue}: one invoice per
 * account for all of it. Claiming, invoicing and marking the row done commit together (exactly once; decision 030).
 */
public final class BillingRun implements BillingSchedule {
    private final Timeline timeline;
    private final Invoices invoices;
    private final TenantLookup tenants;
    private final List<ChargeSource> sources = new CopyOnWriteArrayList<>();
    private final List<ChargeSource> riders = new CopyOnWriteArrayList<>();

    public BillingRun(Timeline timeline, TenantLookup tenants, Invoices invoices) {
        this.timeline = timeline;
        this.invoices = invoices;
        this.tenants = tenants;
    }

    /** The {@code billing.run} job (registered in {@code tollgate/Reactions.java}): rows of one tenant and instant billed as a batch. */
    public Job job() {
        return new Job() {
            @Override
            public void run(DSLContext tx, Due due) {
                BillingRun.this.run(new Ctx(tx, tenants.find(tx, due.tenantId()).orElseThrow(), due.dueAt()), due.ref());
            }

            @Override
            public void runAll(DSLContext tx, List<Due> dues) {
                Map<String, Map<Instant, List<String>>> groups = new LinkedHashMap<>();
                for (Due d : dues)
                    groups.computeIfAbsent(d.tenantId(), t -> new LinkedHashMap<>()).computeIfAbsent(d.dueAt(), i -> new ArrayList<>()).add(d.ref());
                groups.forEach((tenantId, byInstant) -> {
                    Tenant tenant = tenants.find(tx, tenantId).orElseThrow();
                    byInstant.forEach((at, accountIds) -> runAccounts(new Ctx(tx, tenant, at), accountIds));
                });
            }

            @Override
            public boolean parallel() {
                return true; // one row per account and instant: rows of one instant bill different accounts
            }
        };
    }

    public void addSource(ChargeSource source) {
        sources.add(source);
    }

    /**
     * A source asked only for the accounts the other sources are invoicing at that instant (pending invoice items):
     * what it adds goes on an invoice that is issued anyway, and never makes one of its own.
     */
    public void addRider(ChargeSource rider) {
        riders.add(rider);
    }

    @Override
    public void schedule(DSLContext tx, String tenantId, String accountId, Instant at) {
        timeline.schedule(tx, tenantId, at, JOB, accountId, at);
    }

    @Override
    public void scheduleAll(DSLContext tx, String tenantId, List<String> accountIds, Instant at) {
        timeline.scheduleAll(tx, tenantId, at, JOB, accountIds, at);
    }

    /**
     * Bills now, in the caller's transaction. When the account was invoiced at this very instant already (a test
     * clock standing still between two signups, or a signup at 00:00 on the 1st after the licenses' invoice), that
     * invoice is issued and cannot change: the new charges are invoiced at once, at the same instant, on the instant's
     * next invoice, asking only the sources that bill what is owed by their own state (decision 022). No period moves.
     */
    @Override
    public void billNow(Ctx ctx, String accountId) {
        billNowAll(ctx, List.of(accountId));
    }

    /**
     * {@link #billNow} for many accounts (signups run together, decision 069): those not yet invoiced at this instant
     * billed as the run bills a batch (their invoices numbered together), then the others' follow-up invoices issued
     * together.
     */
    @Override
    public void billNowAll(Ctx ctx, List<String> accountIds) {
        billNowAll(ctx, accountIds, List.of());
    }

    /**
     * {@link #billNowAll} with accounts opened in the caller's transaction (decision 073): held as opened (no lock, no
     * read, no invoice yet) and asked only of the sources that {@link ChargeSource#billsAccountsOpenedNow}.
     */
    @Override
    public void billNowAll(Ctx ctx, List<String> accountIds, List<Account> opened) {
        if (accountIds.isEmpty() && opened.isEmpty()) return;
        Instant at = ctx.now();
        Buyers buyers = invoices.lockBuyers(ctx, accountIds, opened, at);
        bill(ctx, buyers);
        List<NewInvoice> followUps = new ArrayList<>();
        for (Account account : buyers.all()) {
            if (!buyers.invoiced(account.id())) continue;
            ChargeSource.Account billed = billed(account, false);
            List<InvoiceLine> lines = new ArrayList<>();
            List<Discount> discounts = new ArrayList<>();
            List<tollgate.invoicing.PaymentTerms> terms = new ArrayList<>();
            for (ChargeSource source : sources) {
                if (!source.billsOnlyWhatIsOwed()) continue;
                Charges due = source.dueAt(ctx, billed);
                lines.addAll(due.lines());
                discounts.addAll(due.discounts());
                if (!due.lines().isEmpty()) terms.add(due.terms());
            }
            if (lines.isEmpty()) continue;
            NewInvoice first = invoice(billed, at, lines, discounts, terms);
            followUps.add(new NewInvoice(first.accountId(), first.currency(), at, first.periodStart(), first.periodEnd(), lines,
                    discounts, first.terms(), true));
        }
        if (!followUps.isEmpty()) invoices.issue(ctx, buyers, followUps);
    }

    /**
     * Everything due for the account at {@code ctx.now()}, on one invoice (none when nothing is due). An account already
     * invoiced for that instant is left alone before any source is asked, so no source moves its state on twice.
     */
    void run(Ctx ctx, String accountId) {
        runAccounts(ctx, List.of(accountId));
    }

    /**
     * The same for many accounts due at one instant: each source answers for all of them at once. {@link Invoices#lockBuyers}
     * locks the accounts first, in id order and with one statement, before any source locks their subscriptions: every
     * writer takes an account's lock before its other rows (decision 010's lock order), so a batch and a seat change or a
     * dunning step on one of its accounts take turns instead of deadlocking. Under those locks the check for invoices
     * already written is exact, and it is made once.
     */
    void runAccounts(Ctx ctx, List<String> accountIds) {
        bill(ctx, invoices.lockBuyers(ctx, accountIds, ctx.now())); // one Ctx per batch
    }

    private void bill(Ctx ctx, Buyers buyers) {
        List<ChargeSource.Account> billed = buyers.notYetInvoiced().stream().map(a -> billed(a, buyers.opened(a.id()))).toList();
        if (billed.isEmpty()) return;
        List<NewInvoice> drafts = drafts(ctx, billed, false);
        if (!drafts.isEmpty()) invoices.issue(ctx, buyers, drafts);
    }

    /**
     * What the run would invoice the account at {@code ctx.now()}, without writing it: the portal's preview of the next
     * invoice (decision 036). The sources move their state on as they answer, so the caller's transaction must be
     * rolled back afterwards.
     */
    public java.util.Optional<NewInvoice> draft(Ctx ctx, String accountId) {
        return draft(ctx, accountId, false);
    }

    /**
     * {@link #draft} as a preview: each source answers {@link ChargeSource#previewAtAll} (the same amounts; many license
     * lines of one amount may come as one line with their count as its quantity — decision 047). Rolled back as well.
     */
    public java.util.Optional<NewInvoice> preview(Ctx ctx, String accountId) {
        return draft(ctx, accountId, true);
    }

    private java.util.Optional<NewInvoice> draft(Ctx ctx, String accountId, boolean preview) {
        List<Account> locked = invoices.lockBuyers(ctx, List.of(accountId), ctx.now()).all();
        if (locked.isEmpty()) return java.util.Optional.empty();
        return drafts(ctx, List.of(billed(locked.getFirst(), false)), preview).stream().findFirst();
    }

    /** When the run next bills the account (the timeline's first pending billing.run after {@code after}). */
    public java.util.Optional<Instant> nextRun(DSLContext tx, String tenantId, String accountId, Instant after) {
        return timeline.nextPending(tx, tenantId, JOB, accountId, after);
    }

    private List<NewInvoice> drafts(Ctx ctx, List<ChargeSource.Account> billed, boolean preview) {
        Map<String, List<InvoiceLine>> lines = new LinkedHashMap<>();
        Map<String, List<Discount>> discounts = new LinkedHashMap<>();
        Map<String, List<tollgate.invoicing.PaymentTerms>> terms = new LinkedHashMap<>();
        for (ChargeSource source : sources) {
            List<ChargeSource.Account> asked = askable(source, billed);
            if (asked.isEmpty()) continue;
            (preview ? source.previewAtAll(ctx, asked) : source.dueAtAll(ctx, asked)).forEach((accountId, due) -> {
                lines.computeIfAbsent(accountId, a -> new ArrayList<>()).addAll(due.lines());
                discounts.computeIfAbsent(accountId, a -> new ArrayList<>()).addAll(due.discounts());
                if (!due.lines().isEmpty()) terms.computeIfAbsent(accountId, a -> new ArrayList<>()).add(due.terms());
            });
        }
        addRiders(ctx, billed, lines, discounts, preview);
        List<NewInvoice> drafts = new ArrayList<>();
        for (ChargeSource.Account account : billed) {
            List<InvoiceLine> due = lines.getOrDefault(account.id(), List.of());
            if (!due.isEmpty())
                drafts.add(invoice(account, ctx.now(), due, discounts.getOrDefault(account.id(), List.of()), terms.getOrDefault(account.id(), List.of())));
        }
        return drafts;
    }

    /** What the riders add to the accounts that have lines at {@code ctx.now()} (issue #10: pending invoice items). */
    private void addRiders(Ctx ctx, List<ChargeSource.Account> billed,
                           Map<String, List<InvoiceLine>> lines, Map<String, List<Discount>> discounts, boolean preview) {
        if (riders.isEmpty()) return;
        List<ChargeSource.Account> invoiced = billed.stream().filter(a -> !lines.getOrDefault(a.id(), List.of()).isEmpty()).toList();
        if (invoiced.isEmpty()) return;
        for (ChargeSource rider : riders) {
            List<ChargeSource.Account> asked = askable(rider, invoiced);
            if (asked.isEmpty()) continue;
            (preview ? rider.previewAtAll(ctx, asked) : rider.dueAtAll(ctx, asked)).forEach((accountId, due) -> {
                lines.get(accountId).addAll(due.lines());
                discounts.computeIfAbsent(accountId, a -> new ArrayList<>()).addAll(due.discounts());
            });
        }
    }

    private static ChargeSource.Account billed(Account account, boolean opened) {
        return new ChargeSource.Account(account.id(), account.currency(), ZoneId.of(account.timezone()), opened);
    }

    /** The accounts {@code source} is asked about: all, or only those not opened now when it bills none of those (decision 073). */
    private static List<ChargeSource.Account> askable(ChargeSource source, List<ChargeSource.Account> billed) {
        if (source.billsAccountsOpenedNow() || billed.stream().noneMatch(ChargeSource.Account::opened)) return billed;
        return billed.stream().filter(a -> !a.opened()).toList();
    }

    private static NewInvoice invoice(ChargeSource.Account account, Instant at, List<InvoiceLine> lines, List<Discount> discounts,
                                      List<tollgate.invoicing.PaymentTerms> terms) {
        Instant start = lines.stream().map(InvoiceLine::periodStart).filter(Objects::nonNull).min(Comparator.naturalOrder()).orElse(at);
        Instant end = lines.stream().map(InvoiceLine::periodEnd).filter(Objects::nonNull).max(Comparator.naturalOrder()).orElse(at);
        return new NewInvoice(account.id(), account.currency(), at, start, end, lines, discounts,
                tollgate.invoicing.PaymentTerms.combined(terms), false);
    }
}
