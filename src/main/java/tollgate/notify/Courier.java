package tollgate.notify;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
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

    /** Claims one batch of due messages and delivers them; answers how many were claimed (0: nothing is due). */
    public int deliverDue() {
        Instant now = clock.systemNow();
        List<NotificationStore.Claimed> claimed = db.tx(tx -> store.claim(tx, now, now.plus(lease), BATCH));
        for (NotificationStore.Claimed c : claimed) {
            try {
                deliver(c.tenantId(), c.notification());
            } catch (RuntimeException e) {
                // Its lease runs out and it is tried again; nothing was recorded as sent.
                log.error("delivering notification {} failed; it is tried again when its lease ends", c.notification().id(), e);
            }
        }
        return claimed.size();
    }

    /** Delivers everything due now, batch after batch (tests and the benchmark). */
    public int deliverAllDue() {
        int total = 0;
        for (int n; (n = deliverDue()) > 0; ) total += n;
        return total;
    }

    private void deliver(String tenantId, Notification n) {
        DSLContext dsl = db.dsl();
        Tenant tenant = tenants.find(dsl, tenantId).orElseThrow();
        Instant now = clock.now(dsl, tenant);
        if (n.recipient() == null || n.recipient().isBlank()) {
            finish(tenant, n, "skipped", "no email address: the account has neither a billing email nor an email", false, now);
            return;
        }
        boolean toMailbox = mailer == null;
        if (toMailbox && !tenant.isTest()) {
            db.tx(tx -> {
                store.markWaiting(tx, tenantId, n.id(), "not sent: no mail server is configured (TOLLGATE_SMTP_URL)", now.plus(NO_SERVER_PAUSE));
                return null;
            });
            return;
        }
        Email email;
        try {
            TenantProfile profile = profiles.find(dsl, tenantId).orElseThrow();
            Account account = n.account() == null ? null : accounts.find(dsl, tenantId, n.account()).orElse(null);
            Email.Attachment pdf = !toMailbox && composer.carriesPdf(n) ? pdfs.pdf(tenant, n.invoice()) : null;
            email = composer.compose(n, new Composer.Context(profile, account == null ? profile.name() : account.name(),
                    account == null ? ZoneId.of("UTC") : ZoneId.of(account.timezone()), pdf));
        } catch (MailTemplate.MissingValue e) {
            finish(tenant, n, "failed", "not sent: " + e.getMessage(), false, now);
            return;
        }
        if (toMailbox) {
            finish(tenant, n, "sent", "kept in the built-in mailbox (/dev/mail): no mail server is configured", false, now);
            return;
        }
        Delivery.Outcome outcome = mailer.send(email);
        switch (outcome.kind()) {
            case SENT -> db.tx(tx -> {
                store.markSent(tx, tenantId, n.id(), outcome.response(), now);
                return null;
            });
            case PERMANENT -> finish(tenant, n, "failed", outcome.response(), true, now);
            case TEMPORARY -> {
                Instant retry = Delivery.retryAt(n.createdAt(), n.attempts() + 1, now);
                if (retry == null) {
                    finish(tenant, n, "failed", "gave up after " + Delivery.GIVE_UP_AFTER.toDays() + " days; last answer: "
                            + outcome.response(), true, now);
                } else {
                    log.info("notification {} refused for now ({}), next attempt at {}", n.id(), outcome.response(), retry);
                    db.tx(tx -> {
                        store.markRetry(tx, tenantId, n.id(), outcome.response(), retry);
                        return null;
                    });
                }
            }
        }
    }

    /** {@code failed} (told as {@code notification.failed}) or {@code skipped}, for good. */
    private void finish(Tenant tenant, Notification n, String status, String response, boolean attempted, Instant now) {
        db.tx(tx -> {
            if (status.equals("sent")) {
                store.markSent(tx, tenant.id(), n.id(), response, now);
                return null;
            }
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
        return composer.compose(n, new Composer.Context(profile, account == null ? profile.name() : account.name(),
                account == null ? ZoneId.of("UTC") : ZoneId.of(account.timezone()), null));
    }

}
