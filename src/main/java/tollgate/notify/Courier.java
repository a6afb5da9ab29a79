package tollgate.notify;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tollgate.accounts.Account;
import tollgate.accounts.AccountDirectory;
import tollgate.core.Database;
import tollgate.events.EventLog;
import tollgate.tenants.Tenant;
import tollgate.tenants.TenantClock;
import tollgate.tenants.TenantProfile;
import tollgate.tenants.TenantProfileDirectory;
import tollgate.tenants.TenantDirectory;

/**
 * Delivers the outbox: claims due notifications (leased, so that a worker that dies mid-send leaves them to be taken
 * up again, with the same Message-ID), composes each and hands it to the mail server outside any transaction, then
 * records how that went. At least once: a crash between the server's "250" and the record sends the message again.
 * Without a mail server a test tenant's messages are kept for the built-in mailbox ({@code /dev/mail}) and a live
 * tenant's wait for one.
 */
public final class Courier {
    private static final Logger log = LoggerFactory.getLogger(Courier.class);
    static final int BATCH = 10;
    public static final String FAILED_EVENT = "notification.failed";
    /** How long a live tenant's message waits before it looks for a mail server again. */
    private static final Duration NO_SERVER_PAUSE = Duration.ofHours(1);

    /** Renders an invoice's PDF for the messages that carry it. */
    @FunctionalInterface
    public interface PdfSource {
        Email.Attachment pdf(Tenant tenant, String invoiceId);
    }

    private final Database db;
    private final NotificationStore store;
    private final TenantDirectory tenants;
    private final TenantProfileDirectory profiles;
    private final AccountDirectory accounts;
    private final TenantClock clock;
    private final EventLog events;
    private final Composer composer;
    private final PdfSource pdfs;
    private final Mailer mailer;
    private final Duration lease;

    public Courier(Database db, NotificationStore store, TenantDirectory tenants, TenantProfileDirectory profiles, AccountDirectory accounts,
                   TenantClock clock, EventLog events, Composer composer, PdfSource pdfs, Mailer mailer, Duration lease) {
        this.db = db;
        this.store = store;
        this.tenants = tenants;
        this.profiles = profiles;
        this.accounts = accounts;
        this.clock = clock;
        this.events = events;
        this.composer = composer;
        this.pdfs = pdfs;
        this.mailer = mailer;
        this.lease = lease;
    }

    /** The same courier with another mail server and lease (tests: a server that refuses, a worker that dies). */
    public Courier with(Mailer otherMailer, Duration otherLease) {
        return new Courier(db, store, tenants, profiles, accounts, clock, events, composer, pdfs, otherMailer, otherLease);
    }

    public boolean hasMailServer() {
        return mailer != null;
    }

    public Composer composer() {
        return composer;
    }

    /**
     * Claims one batch of due messages and delivers them; answers how many were claimed (0: nothing is due). A batch is
     * read and recorded per tenant: the tenant, its clock, its profile and the messages' accounts once each, and every
     * message delivered (or kept for the built-in mailbox) marked sent in one statement after the group is sent (so a
     * crash before that mark sends the group again with the same Message-IDs: at least once, as before).
     */
    public int deliverDue() {
        Instant systemNow = clock.systemNow();
        List<NotificationStore.Claimed> claimed = db.tx(tx -> store.claim(tx, systemNow, systemNow.plus(lease), BATCH));
        Map<String, List<Notification>> byTenant = new LinkedHashMap<>();
        for (NotificationStore.Claimed c : claimed) byTenant.computeIfAbsent(c.tenantId(), t -> new ArrayList<>()).add(c.notification());
        byTenant.forEach((tenantId, ns) -> {
            try {
                deliverAll(tenantId, ns);
            } catch (RuntimeException e) {
                // Their leases run out and they are tried again; nothing not recorded was marked sent.
                log.error("delivering {} notifications of tenant {} failed; they are tried again when their lease ends", ns.size(), tenantId, e);
            }
        });
        return claimed.size();
    }

    /** Delivers everything due now, batch after batch (tests and the benchmark). */
    public int deliverAllDue() {
        int total = 0;
        for (int n; (n = deliverDue()) > 0; ) total += n;
        return total;
    }

    private void deliverAll(String tenantId, List<Notification> ns) {
        DSLContext dsl = db.dsl();
        Tenant tenant = tenants.find(dsl, tenantId).orElseThrow();
        Instant now = clock.now(dsl, tenant);
        TenantProfile profile = profiles.find(dsl, tenantId).orElseThrow();
        Map<String, Account> accountsById = new HashMap<>();
        List<String> accountIds = ns.stream().map(Notification::account).filter(a -> a != null).distinct().toList();
        for (Account a : accounts.findAll(dsl, tenantId, accountIds)) accountsById.put(a.id(), a);
        List<NotificationStore.Sent> sent = new ArrayList<>();
        for (Notification n : ns) {
            try {
                String response = deliver(tenant, profile, n, n.account() == null ? null : accountsById.get(n.account()), now);
                if (response != null) sent.add(new NotificationStore.Sent(n.id(), response));
            } catch (RuntimeException e) {
                log.error("delivering notification {} failed; it is tried again when its lease ends", n.id(), e);
            }
        }
        if (sent.isEmpty()) return;
        // At the tenant's time when the group was sent, not when it was claimed: a mail server may take a while per message.
        db.tx(tx -> {
            store.markAllSent(tx, tenantId, sent, clock.now(tx, tenant));
            return null;
        });
    }

    /** Delivers one message; answers the server's answer when it was sent (to be marked with the group), else null. */
    private String deliver(Tenant tenant, TenantProfile profile, Notification n, Account account, Instant now) {
        if (n.recipient() == null || n.recipient().isBlank()) {
            finish(tenant, n, "skipped", "no email address: the account has neither a billing email nor an email", false, now);
            return null;
        }
        boolean toMailbox = mailer == null;
        if (toMailbox && !tenant.isTest()) {
            db.tx(tx -> {
                store.markWaiting(tx, tenant.id(), n.id(), "not sent: no mail server is configured (TOLLGATE_SMTP_URL)", now.plus(NO_SERVER_PAUSE));
                return null;
            });
            return null;
        }
        Email email;
        try {
            Email.Attachment pdf = !toMailbox && composer.carriesPdf(n) ? pdfs.pdf(tenant, n.invoice()) : null;
            email = composer.compose(n, context(profile, account, pdf));
        } catch (MailTemplate.MissingValue e) {
            finish(tenant, n, "failed", "not sent: " + e.getMessage(), false, now);
            return null;
        }
        if (toMailbox) return "kept in the built-in mailbox (/dev/mail): no mail server is configured";
        MailDeliveryRules.Outcome outcome = mailer.send(email);
        switch (outcome.kind()) {
            case SENT -> {
                return java.util.Objects.requireNonNullElse(outcome.response(), "sent");
            }
            case PERMANENT -> finish(tenant, n, "failed", outcome.response(), true, now);
            case TEMPORARY -> {
                Instant retry = MailDeliveryRules.retryAt(n.createdAt(), n.attempts() + 1, now);
                if (retry == null) {
                    finish(tenant, n, "failed", "gave up after " + MailDeliveryRules.GIVE_UP_AFTER.toDays() + " days; last answer: "
                            + outcome.response(), true, now);
                } else {
                    log.info("notification {} refused for now ({}), next attempt at {}", n.id(), outcome.response(), retry);
                    db.tx(tx -> {
                        store.markRetry(tx, tenant.id(), n.id(), outcome.response(), retry);
                        return null;
                    });
                }
            }
        }
        return null;
    }

    private static Composer.Context context(TenantProfile profile, Account account, Email.Attachment pdf) {
        return new Composer.Context(profile, account == null ? profile.name() : account.name(),
                account == null ? ZoneId.of("UTC") : ZoneId.of(account.timezone()), pdf);
    }

    /** {@code failed} (told as {@code notification.failed}) or {@code skipped}, for good. */
    private void finish(Tenant tenant, Notification n, String status, String response, boolean attempted, Instant now) {
        db.tx(tx -> {
            store.markFinal(tx, tenant.id(), n.id(), status, response, attempted, now);
            if (status.equals("failed")) {
                Notification after = store.find(tx, tenant.id(), n.id()).orElseThrow();
                events.append(tx, tenant.id(), FAILED_EVENT, n.account(), now, after);
            }
            return null;
        });
    }

    /** For the mailbox page: the notification composed as it was or would be sent (without its attachment). */
    public Email preview(Tenant tenant, Notification n) {
        DSLContext dsl = db.dsl();
        TenantProfile profile = profiles.find(dsl, tenant.id()).orElseThrow();
        Account account = n.account() == null ? null : accounts.find(dsl, tenant.id(), n.account()).orElse(null);
        return composer.compose(n, context(profile, account, null));
    }

}
