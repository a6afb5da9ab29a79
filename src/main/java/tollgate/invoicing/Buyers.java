package tollgate.invoicing;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import tollgate.accounts.Account;

/**
 * The accounts an issue at one billing instant is for, as {@link Invoices#lockBuyers} hands them over: locked by the
 * caller's transaction (in id order, before any of their other rows: decision 010's lock order), and which of them
 * that instant has invoiced already, checked under those locks and so exact until the transaction ends. Only
 * invoicing makes one, so holding one means the accounts were locked and checked once (decision 030).
 */
public final class Buyers {
    private final String tenantId;
    private final Instant billingDate;
    private final List<Account> locked;
    private final Set<String> invoiced;
    private final Set<String> ids;

    Buyers(String tenantId, Instant billingDate, List<Account> locked, Set<String> invoiced) {
        this.tenantId = tenantId;
        this.billingDate = billingDate;
        this.locked = List.copyOf(locked);
        this.invoiced = Set.copyOf(invoiced);
        this.ids = new java.util.HashSet<>(locked.size() * 2);
        for (Account a : locked) ids.add(a.id());
    }

    public Instant billingDate() {
        return billingDate;
    }

    /** Every account locked, in id order, as read under its lock. */
    public List<Account> all() {
        return locked;
    }

    /** The accounts with no invoice at the billing instant yet: the billing run's to bill. */
    public List<Account> notYetInvoiced() {
        return locked.stream().filter(a -> !invoiced.contains(a.id())).toList();
    }

    /** Whether the account already has an invoice at the billing instant (then only a follow-up may be issued). */
    public boolean invoiced(String accountId) {
        return invoiced.contains(accountId);
    }

    boolean holds(String accountId) {
        return ids.contains(accountId);
    }

    String tenantId() {
        return tenantId;
    }
}
