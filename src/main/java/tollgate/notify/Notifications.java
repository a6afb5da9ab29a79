package tollgate.notify;

import java.time.Instant;
import java.util.Map;
import org.jooq.DSLContext;
import tollgate.accounts.Account;
import tollgate.accounts.AccountStore;
import tollgate.core.Database;
import tollgate.core.Ids;
import tollgate.core.Page;
import tollgate.core.Paging;
import tollgate.core.Problem;
import tollgate.events.EventLog;
import tollgate.tenants.Tenant;

/**
 * The outbox of messages to customers. Enqueuing writes the message in the caller's transaction, so it exists
 * exactly when the change that caused it committed; sending them (email) is the notifications capability's work.
 */
public final class Notifications {
    private final Database db;
    private final NotificationStore store;
    private final AccountStore accounts;
    private final EventLog events;

    public Notifications(Database db, NotificationStore store, AccountStore accounts, EventLog events) {
        this.db = db;
        this.store = store;
        this.accounts = accounts;
        this.events = events;
    }

    /** Queues {@code template} for the account's billing contact (its company's billing email, else its email). */
    public Notification enqueue(DSLContext tx, Tenant tenant, String accountId, String template, String invoiceId,
                                Map<String, Object> data, Instant now) {
        Account account = accounts.find(tx, tenant.id(), accountId).orElseThrow(() -> Problem.notFound("account", accountId));
        String billing = account.company() == null ? null : account.company().billingEmail();
        Notification n = new Notification(Ids.next("ntf"), accountId, template, billing != null ? billing : account.email(),
                invoiceId, data, "pending", now, null);
        store.insert(tx, tenant.id(), n);
        events.append(tx, tenant.id(), "notification.created", accountId, now, n);
        return n;
    }

    /**
     * Queues {@code template} for the tenant itself rather than one of its accounts (its webhook endpoint was disabled):
     * no account, sent to {@code recipient} (the tenant's support address; null when it has none).
     */
    public Notification enqueueForTenant(DSLContext tx, String tenantId, String template, String recipient, Map<String, Object> data,
                                         Instant now) {
        Notification n = new Notification(Ids.next("ntf"), null, template, recipient, null, data, "pending", now, null);
        store.insert(tx, tenantId, n);
        events.append(tx, tenantId, "notification.created", null, now, n);
        return n;
    }

    public Page<Notification> list(Tenant tenant, String accountId, Paging paging) {
        if (accounts.find(db.dsl(), tenant.id(), accountId).isEmpty()) throw Problem.notFound("account", accountId);
        return Page.of(store.list(db.dsl(), tenant.id(), accountId, paging.startingAfter(), paging.fetchSize()), paging.limit());
    }
}
