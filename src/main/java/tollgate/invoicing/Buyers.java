package tollgate.invoicing;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import tollgate.accounts.Account;

/**
 * The accounts an issue at one billing instant is for, as {@link Invoices#lockBuyers} hands them over: locked by the
 * caller's transaction (in id order, before any of their other rows: decision 010's lock order), and which of them
 * that instant has invoiced already, checked under those locks and so exact until the transaction ends. Only
 * invoicing makes one, so holding one means the accounts were locked and checked once (decision 030) — except accounts
 * opened in the caller's transaction (a signup with its account, decision 073), held as opened, neither locked nor
 * read: no other transaction can see them, and they have no invoice yet.
 */
public final class Buyers {
    private final String tenantId;
    private final Instant billingDate;
    private final List<Account> held;
    private final Set<String> invoiced;
    private final Set<String> ids;
    private final Set<String> opened;

    Buyers(String tenantId, Instant billingDate, List<Account> locked, Set<String> invoiced, List<Account> opened) {
        this.tenantId = tenantId;
        this.billingDate = billingDate;
        List<Account> all = new java.util.ArrayList<>(locked);
        all.addAll(opened);
        all.sort(java.util.Comparator.comparing(Account::id));
        this.held = List.copyOf(all);
        this.invoiced = Set.copyOf(invoiced);
        this.ids = new java.util.HashSet<>(all.size() * 2);
        for (Account a : all) ids.add(a.id());
        this.opened = new java.util.HashSet<>(opened.size() * 2);
        for (Account a : opened) this.opened.add(a.id());
    }

    public Instant billingDate() {
        return billingDate;
    }

    /** Every account held, in id order, as read under its lock (or as opened by the caller's transaction). */
    public List<Account> all() {
        return held;
    }

    /** The accounts with no invoice at the billing instant yet: the billing run's to bill. */
    public List<Account> notYetInvoiced() {
        return held.stream().filter(a -> !invoiced.contains(a.id())).toList();
    }

    /** Whether the account already has an invoice at the billing instant (then only a follow-up may be issued). */
    public boolean invoiced(String accountId) {
        return invoiced.contains(accountId);
    }

    /** Whether the account was opened in the caller's transaction (decision 073): as it was opened, not read again. */
    public boolean opened(String accountId) {
        return opened.contains(accountId);
    }

    boolean holds(String accountId) {
        return ids.contains(accountId);
    }

    String tenantId() {
        return tenantId;
    }
}
