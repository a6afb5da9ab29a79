package tollgate.notify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import tollgate.accounts.Account;
import tollgate.accounts.AccountDirectory;
import tollgate.core.Database;
import tollgate.core.Ids;
import tollgate.core.Page;
import tollgate.core.Paging;
import tollgate.core.Problem;
import tollgate.events.EventLog;
import tollgate.tenants.Tenant;
import tollgate.tenants.TenantProfile;
import tollgate.tenants.TenantProfileDirectory;
import tollgate.tenants.Ctx;

/**
 * The outbox of messages to customers. Enqueuing writes the message in the caller's transaction, so it exists
 * exactly when the change that caused it committed; the {@link Courier} delivers it afterwards. Each message gets its
 * Message-ID here, once: every attempt to deliver it carries the same one.
 */
public final class Notifications {
    public static final String CREATED_EVENT = "notification.created";

    private final Database db;
    private final NotificationStore store;
    private final AccountDirectory accounts;
    private final TenantProfileDirectory tenants;
    private final EventLog events;
    private final String messageDomain;

    public Notifications(Database db, NotificationStore store, AccountDirectory accounts, TenantProfileDirectory tenants, EventLog events,
                         String messageDomain) {
        this.db = db;
        this.store = store;
        this.accounts = accounts;
        this.tenants = tenants;
        this.events = events;
        this.messageDomain = messageDomain;
    }

    /** Queues {@code template} for the account's billing contact (its company's billing email, else its email). */
    public Notification enqueue(Ctx ctx, String accountId, String template, String invoiceId, Map<String, Object> data) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        Instant now = ctx.now();
        Account account = accounts.find(tx, tenant.id(), accountId).orElseThrow(() -> Problem.notFound("account", accountId));
        Notification n = queued(accountId, template, recipient(account), invoiceId, data, now);
        store.insert(tx, tenant.id(), n);
        events.append(tx, tenant.id(), CREATED_EVENT, accountId, now, n);
        return n;
    }

    /** Queues {@code template} about an account to one given address (the portal's invitations, resets, verifications). */
    public Notification enqueueTo(Ctx ctx, String accountId, String template, String recipient, Map<String, Object> data) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        Instant now = ctx.now();
        Notification n = queued(accountId, template, recipient, null, data, now);
        store.insert(tx, tenant.id(), n);
        events.append(tx, tenant.id(), CREATED_EVENT, accountId, now, n);
        return n;
    }

    /**
     * Queues {@code template} once for whatever {@code dedupeKey} names (a card's expiry, a trial's end): a second
     * call with the same key queues nothing. Answers whether it queued.
     */
    public boolean enqueueOnce(Ctx ctx, String accountId, String template, Map<String, Object> data, String dedupeKey) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        Instant now = ctx.now();
        Account account = accounts.find(tx, tenant.id(), accountId).orElseThrow(() -> Problem.notFound("account", accountId));
        Notification n = queued(accountId, template, recipient(account), null, data, now);
        if (!store.insertOnce(tx, tenant.id(), n, dedupeKey)) return false;
        events.append(tx, tenant.id(), CREATED_EVENT, accountId, now, n);
        return true;
    }

    /** One message per invoice to its account, in one round trip each for reading and writing (the billing run's). */
    public void enqueueForInvoices(Ctx ctx, String template, List<InvoiceMessage> messages) {
        enqueueForInvoices(ctx, template, messages, Map.of());
    }

    /** The same, with the accounts already read in this transaction ({@code known}, by id): only the others are read. */
    public void enqueueForInvoices(Ctx ctx, String template, List<InvoiceMessage> messages, Map<String, Account> known) {
        DSLContext tx = ctx.tx();
        Tenant tenant = ctx.tenant();
        Instant now = ctx.now();
        if (messages.isEmpty()) return;
        Map<String, String> recipients = new HashMap<>();
        List<String> unread = new ArrayList<>();
        for (String id : messages.stream().map(InvoiceMessage::account).distinct().toList()) {
            if (known.containsKey(id)) recipients.put(id, recipient(known.get(id)));
            else unread.add(id);
        }
        for (Account a : accounts.findAll(tx, tenant.id(), unread)) recipients.put(a.id(), recipient(a));
        List<Notification> queued = new ArrayList<>(messages.size());
        for (InvoiceMessage m : messages)
            queued.add(queued(m.account(), template, recipients.get(m.account()), m.invoice(), m.data(), now));
        store.insertAll(tx, tenant.id(), queued);
        events.appendAll(tx, tenant.id(), CREATED_EVENT, now, queued, Notification::account);
    }

    /**
     * An invoice numbered at the end of its transaction (decision 058) was queued with a stand-in for its number: the
     * account's notifications of this transaction get the real one.
     */
    public void invoiceNumbered(DSLContext tx, String tenantId, String accountId, java.time.Instant at, String placeholder,
                                String number) {
        store.replaceInData(tx, tenantId, accountId, placeholder, number);
    }

    /** A message about one invoice, for {@link #enqueueForInvoices}. */
    public record InvoiceMessage(String account, String invoice, Map<String, Object> data) {}

    /**
     * Queues {@code template} for the tenant itself (its company's billing email, else its support email), about no
     * account: a webhook endpoint that was disabled, say. Without either address it is recorded as skipped.
     */
    public Notification enqueueToTenant(DSLContext tx, String tenantId, String template, Map<String, Object> data, Instant now) {
        TenantProfile profile = tenants.find(tx, tenantId).orElseThrow();
        String billing = profile.company().details() == null ? null : profile.company().details().billingEmail();
        Notification n = queued(null, template, billing != null ? billing : profile.company().supportEmail(), null, data, now);
        store.insert(tx, tenantId, n);
        events.append(tx, tenantId, CREATED_EVENT, null, now, n);
        return n;
    }

    private Notification queued(String accountId, String template, String recipient, String invoiceId, Map<String, Object> data,
                                Instant now) {
        String id = Ids.next("ntf");
        return Notification.queued(id, accountId, template, recipient, invoiceId, data, "<" + id + "@" + messageDomain + ">", now);
    }

    private static String recipient(Account account) {
        String billing = account.company() == null ? null : account.company().billingEmail();
        String address = billing != null ? billing : account.email();
        return address == null || address.isBlank() ? null : address;
    }

    public Page<Notification> list(Tenant tenant, String accountId, Paging paging) {
        if (accounts.find(db.dsl(), tenant.id(), accountId).isEmpty()) throw Problem.notFound("account", accountId);
        return Page.of(store.list(db.dsl(), tenant.id(), accountId, paging.startingAfter(), paging.fetchSize()), paging.limit());
    }

    /** Every message of the tenant, newest first: the built-in mailbox. */
    public List<Notification> mailbox(Tenant tenant, int limit) {
        return store.listAll(db.dsl(), tenant.id(), null, limit);
    }

    public java.util.Optional<Notification> find(Tenant tenant, String id) {
        return store.find(db.dsl(), tenant.id(), id);
    }
}
