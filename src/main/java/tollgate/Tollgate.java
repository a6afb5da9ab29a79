package tollgate;

import io.javalin.Javalin;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.concurrent.CompletableFuture;
import tollgate.accounts.AccountStore;
import tollgate.accounts.Accounts;
import tollgate.api.AccountsApi;
import tollgate.api.ApiJson;
import tollgate.api.ApiKeysApi;
import tollgate.api.Api;
import tollgate.api.CatalogApi;
import tollgate.api.DunningPoliciesApi;
import tollgate.api.OpenApi;
import tollgate.api.EventsApi;
import tollgate.api.DueNow;
import tollgate.api.Http;
import tollgate.api.OpsApi;
import tollgate.api.PaymentMethodsApi;
import tollgate.api.Route;
import tollgate.api.TestClockApi;
import tollgate.api.LicensesApi;
import tollgate.api.InvoicesApi;
import tollgate.api.InvoiceItemsApi;
import tollgate.billing.PendingInvoiceItems;
import tollgate.invoicing.InvoiceItemStore;
import tollgate.invoicing.OneOffCharges;
import tollgate.api.TenantApi;
import tollgate.api.SubscriptionsApi;
import tollgate.api.UsageApi;
import tollgate.billing.BillingRun;
import tollgate.licensing.LicenseCharges;
import java.time.Instant;
import java.util.Optional;
import org.jooq.DSLContext;
import tollgate.catalog.CouponStore;
import tollgate.catalog.Coupons;
import tollgate.catalog.PlanStore;
import tollgate.catalog.PlanType;
import tollgate.catalog.Plans;
import tollgate.core.RateLimiter;
import tollgate.core.Vault;
import tollgate.licensing.LicenseIssueRules;
import tollgate.licensing.LicenseDirectory;
import tollgate.licensing.LicenseStore;
import tollgate.licensing.Licensing;
import tollgate.licensing.SigningKeys;
import tollgate.licensing.SiteChecks;
import tollgate.core.Database;
import tollgate.dunning.DunningPolicies;
import tollgate.dunning.DunningPolicyStore;
import tollgate.events.EventLog;
import tollgate.events.EventStore;
import tollgate.idempotency.Idempotency;
import tollgate.idempotency.IdempotencyStore;
import tollgate.invoicing.CreditNoteStore;
import tollgate.invoicing.DocumentNumberStore;
import tollgate.invoicing.InvoiceStore;
import tollgate.invoicing.Invoices;
import tollgate.invoicing.Receivables;
import tollgate.payments.PaymentMethodStore;
import tollgate.payments.PaymentMethods;
import tollgate.api.DunningApi;
import tollgate.api.PaymentsApi;
import tollgate.dunning.Dunning;
import tollgate.dunning.DunningActions;
import tollgate.dunning.DunningStore;
import tollgate.api.MailboxApi;
import tollgate.notify.Composer;
import tollgate.notify.Courier;
import tollgate.notify.CourierWorker;
import tollgate.notify.Email;
import tollgate.notify.MailLanguage;
import tollgate.notify.Mailbox;
import tollgate.notify.Mailings;
import tollgate.notify.NotificationStore;
import tollgate.notify.Notifications;
import tollgate.notify.SmtpMailer;
import tollgate.payments.Gateways;
import tollgate.payments.PaymentAttemptStore;
import tollgate.payments.PaymentStore;
import tollgate.payments.Payments;
import tollgate.payments.SandboxGateway;
import tollgate.payments.SandboxLedger;
import tollgate.payments.StripeGateway;
import tollgate.payments.Refunds;
import tollgate.invoicing.RefundStore;
import tollgate.balances.BalanceStore;
import tollgate.balances.Balances;
import tollgate.api.BalancesApi;
import tollgate.api.RefundsApi;
import tollgate.tenants.Tenant;
import tollgate.subscriptions.SubscriptionStore;
import tollgate.subscriptions.Subscriptions;
import tollgate.tenants.ApiKeyStore;
import tollgate.tenants.SecretKeys;
import tollgate.tenants.Ctx;
import tollgate.tenants.TenantClock;
import tollgate.tenants.TenantProfileStore;
import tollgate.tenants.TenantProfiles;
import tollgate.tenants.TenantStore;
import tollgate.tenants.Tenants;
import tollgate.timeline.TestClock;
import tollgate.timeline.Timeline;
import tollgate.timeline.TimelineStore;
import tollgate.timeline.TimelineWorker;
import tollgate.timeline.TenantJobs;
import tollgate.usage.Usage;
import tollgate.usage.UsageStore;
import tollgate.api.WebhooksApi;
import tollgate.webhooks.OutboundHttp;
import tollgate.webhooks.DeliveryWorkers;
import tollgate.webhooks.Dispatch;
import tollgate.webhooks.Fanout;
import tollgate.webhooks.WebhookEndpoints;
import tollgate.webhooks.WebhookStore;

/** The wiring: every object of the server is built here, by hand, in one readable place. */
public final class Tollgate implements AutoCloseable {
    /** Connections of the main database pool: API requests take at most {@link Config#apiConcurrency} of them (decision 061). */
    static final int POOL_SIZE = 16;
    /**
     * How long an API request's transaction waits for a row lock before it is answered 503 {@code lock_timeout}: H2's
     * {@code LOCK_TIMEOUT}, now on PostgreSQL too, for API work only (decision 064).
     */
    static final java.time.Duration API_LOCK_WAIT = Database.H2_LOCK_TIMEOUT;
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Tollgate.class);

    public final Database db;
    /**
     * A small pool of its own for writes that commit apart from the caller's transaction while it holds a connection
     * of {@link #db} (a charge's write-ahead attempt, the sandbox's ledger). Were they drawn from the main pool, a full
     * pool of such callers would wait forever for a connection none of them gives back.
     */
    private final Database sideDb;
    public final TenantClock clock;
    public final Timeline timeline;
    public final Tenants tenants;
    public final SecretKeys secretKeys;
    public final EventLog events;
    public final Accounts accounts;
    public final Plans plans;
    public final DunningPolicies dunningPolicies;
    public final Coupons coupons;
    public final PaymentMethods paymentMethods;
    public final TestClock testClock;
    public final Licensing licensing;
    /** What sites checked lately, until the worker writes it (decision 047). */
    public final SiteChecks siteChecks;
    public final TenantProfiles tenantProfiles;
    public final Invoices invoices;
    /** Invoicing's door for payments and dunning (decision 029). */
    public final Receivables receivables;
    public final OneOffCharges oneOffCharges;
    public final BillingRun billing;
    public final Subscriptions subscriptions;
    public final Usage usage;
    public final Payments payments;
    public final Balances balances;
    public final Refunds refunds;
    public final Notifications notifications;
    public final Dunning dunning;
    /** Delivers the outbox; {@link #mailWorker} runs it in the background. */
    public final Courier courier;
    public final CourierWorker mailWorker;
    public final WebhookEndpoints webhooks;
    private final DeliveryWorkers deliveryWorkers;
    /** The portal's users (decision 033); their pages are wired at the end of the constructor. */
    public final tollgate.accounts.PortalUsers portalUsers;
    public final tollgate.accounts.PortalLinks portalLinks;
    /** The portal's payment pages (decision 035). */
    public final tollgate.portal.PaymentPages portalPayments;
    /** The console's staff and the audit log (decision 041). */
    public final tollgate.staff.Staff staff;
    public final tollgate.audit.Audit audit;
    public final tollgate.staff.StaffInvitations staffInvitations;
    public final List<Route> routes;
    private final byte[] openApi;
    private final PrometheusMeterRegistry metrics;

    /** What {@code /metrics} shows, for the benchmarks to read in process. */
    public io.micrometer.core.instrument.MeterRegistry metrics() {
        return metrics;
    }
    private final TimelineWorker worker;
    /** The worker's drain of live tenants' rows: told to claim no more as soon as a stop begins. */
    private final tollgate.timeline.LiveDrain liveDrain;
    private final CompletableFuture<Integer> migrated;
    /** Done when start-up work (migrations, the first tenant) is: until then /health says "starting", requests wait. */
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final Vault vault;
    private final tollgate.core.OnlineBackups onlineBackups;
    /** Closes connections too slow to send a request head (decision 044); null until started. */
    private volatile tollgate.api.SlowClients slowClients;
    private final Idempotency idempotency;
    /** Says every minute that the requests running under an Idempotency-Key here still run (decision 077); null until started. */
    private volatile Runnable stopKeepingKeysAlive;
    private final Javalin http;
    /** TOLLGATE_HOST: the address to listen on. */
    private final String host;

    private Tollgate(Config config, Database db, Clock systemClock, CompletableFuture<Integer> migrated,
                     tollgate.invoicing.PdfFonts fonts) {
        this.host = config.network().host();
        // The embedded H2 file: `tollgate backup` beside the running server asks it for H2's online backup (decision 044).
        this.onlineBackups = config.databaseUrl() == null ? new tollgate.core.OnlineBackups(db.dataSource(), config.dataDir()) : null;
        this.db = db;
        this.sideDb = Database.open(config.jdbcUrl(), config.databaseUser(), config.databasePassword(), 4, "tollgate-side");
        this.metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);

        TenantStore tenantStore = new TenantStore();
        this.clock = new TenantClock(systemClock, tenantStore, db);
        EventStore eventStore = new EventStore();
        this.events = new EventLog(db, eventStore, ApiJson.MAPPER);
        TimelineStore timelineStore = new TimelineStore();
        this.timeline = new Timeline(db, timelineStore, events, Config.liveLease(System.getenv()));
        this.testClock = new TestClock(db, clock, timelineStore, timeline);
        TenantJobs jobs = new TenantJobs(timeline, tenantStore, clock);
        this.liveDrain = tollgate.timeline.LiveDrain.withBatch(db, timelineStore, timeline, Config.liveBatch(System.getenv()));
        this.worker = new TimelineWorker(liveDrain, clock);

        this.vault = new Vault(config.encryptionKeyBytes());
        // Once the schema is current, the key is checked against the database's (decision 079): every start waits for it.
        this.migrated = migrated.thenApply(n -> {
            tollgate.core.KeyCheck.verify(db, vault);
            return n;
        });
        this.idempotency = new Idempotency(db, new IdempotencyStore(vault), clock);
        this.tenants = new Tenants(db, tenantStore, clock);

        this.secretKeys = new SecretKeys(db, new ApiKeyStore(), tenants, clock, events);
        AccountStore accountStore = new AccountStore();
        this.accounts = new Accounts(db, accountStore, clock, events);
        this.dunningPolicies = new DunningPolicies(db, new DunningPolicyStore(), clock, events);
        this.plans = new Plans(db, new PlanStore(), clock, events, dunningPolicies::exists);
        this.coupons = new Coupons(db, new CouponStore(), clock, events);
        TenantProfileStore profileStore = new TenantProfileStore();
        this.tenantProfiles = new TenantProfiles(db, profileStore, clock, events, dunningPolicies::exists, vault);
        Config.StripeSettings stripe = config.stripe();
        // The server-wide Stripe key, and each tenant's own where it set one (decision 044).
        Gateways gateways = new Gateways(new SandboxGateway(new SandboxLedger(sideDb, systemClock)),
                stripe.configured() ? new StripeGateway(stripe.secretKey(), stripe.apiBase()) : null, tenantProfiles::gateway,
                tenantProfiles::stripeKeys, secretKey -> new StripeGateway(secretKey, stripe.apiBase()));
        PaymentMethodStore paymentMethodStore = new PaymentMethodStore();
        this.paymentMethods = new PaymentMethods(db, paymentMethodStore, clock, events, gateways);
        InvoiceStore invoiceStore = new InvoiceStore();
        this.balances = new Balances(db, new BalanceStore(), accountStore, clock, events);
        this.invoices = new Invoices(db, invoiceStore, new CreditNoteStore(), new DocumentNumberStore(), accountStore,
                profileStore, clock, events, balances);
        this.billing = new BillingRun(timeline, tenantStore::find, invoices);
        InvoiceItemStore invoiceItemStore = new InvoiceItemStore();
        this.oneOffCharges = new OneOffCharges(db, invoiceStore, invoiceItemStore, new DocumentNumberStore(), accountStore,
                clock, events, invoices);
        billing.addRider(new PendingInvoiceItems(oneOffCharges));
        SubscriptionStore subscriptionStore = new SubscriptionStore();
        this.subscriptions = new Subscriptions(db, subscriptionStore, accountStore, accounts::openAll, plans, coupons, clock, events, billing);
        this.usage = new Usage(db, new UsageStore(), subscriptionStore, accountStore, plans, subscriptions.charges(), clock, events, billing);
        billing.addSource(subscriptions.charges());
        billing.addSource(usage.charges());
        Config.SiteLimits limits = config.siteLimits();
        this.siteChecks = new SiteChecks(com.github.benmanes.caffeine.cache.Ticker.systemTicker(), 2_000_000);
        this.licensing = new Licensing(db, new LicenseStore(), accountStore, tenantStore, clock, events, vault,
                new SigningKeys(vault), new LicenseDirectory(limits.cacheSeconds() * 1_000_000_000L, 2_000_000),
                (tx, tenantId, planId) -> plans.find(tx, tenantId, planId)
                        .map(p -> new LicenseIssueRules.PlanFacts(p.id(), p.type() == PlanType.LICENSE, p.currency())),
                new Licensing.PaymentMethodCheck() {
                    @Override
                    public boolean hasAny(DSLContext tx, String tenantId, String accountId) {
                        return paymentMethods.hasAny(tx, tenantId, accountId);
                    }

                    @Override
                    public java.util.Set<String> accountsWithAny(DSLContext tx, String tenantId, java.util.Collection<String> accountIds) {
                        return paymentMethods.accountsWithAny(tx, tenantId, accountIds);
                    }
                }, siteChecks);
        LicenseCharges licenseCharges = new LicenseCharges(new LicenseCharges.Licenses() {
            @Override
            public List<LicenseCharges.LicenseSpan> overlapping(DSLContext tx, String tenantId, List<String> accountIds,
                                                                Instant from, Instant to) {
                return licensing.overlapping(tx, tenantId, accountIds, from, to);
            }

            @Override
            public Optional<LicenseCharges.LicensePrice> price(DSLContext tx, String tenantId, String planId) {
                return plans.find(tx, tenantId, planId).map(p -> new LicenseCharges.LicensePrice(p.name(), p.amount(), p.trialDays()));
            }

            @Override
            public List<LicenseCharges.LicenseSpan> overlappingPage(DSLContext tx, String tenantId, String accountId, Instant from,
                                                                    Instant to, String afterId, int limit) {
                return licensing.overlappingPage(tx, tenantId, accountId, from, to, afterId, limit);
            }

            @Override
            public List<LicenseCharges.SpanGroup> overlappingGroups(DSLContext tx, String tenantId, String accountId, Instant from,
                                                                    Instant to) {
                return licensing.overlappingGroups(tx, tenantId, accountId, from, to);
            }
        }, billing);
        billing.addSource(licenseCharges);
        // After the license source: a zone that waited for the license month takes effect once the month is billed.
        billing.addSource(new tollgate.billing.ZoneChangeAtMonthEnd(accounts, billing));

        this.receivables = new Receivables(invoiceStore, new RefundStore(), events);
        this.payments = new Payments(db, receivables, new PaymentAttemptStore(sideDb), paymentMethodStore, new PaymentStore(),
                gateways, timeline, clock, events);
        subscriptions.requirePaymentMethods(paymentMethods::hasAny);
        oneOffCharges.requirePaymentMethods(paymentMethods::hasAny);
        PaymentStore paymentStore = new PaymentStore();
        this.refunds = new Refunds(db, receivables, invoices, paymentStore, new PaymentAttemptStore(sideDb),
                balances, gateways, timeline, clock, events);
        Config.MailSettings mail = config.mail();
        NotificationStore notificationStore = new NotificationStore();
        this.notifications = new Notifications(db, notificationStore, accountStore, profileStore, events,
                java.net.URI.create(mail.publicUrl()).getHost());
        this.courier = new Courier(db, notificationStore, tenantStore, profileStore, accountStore, clock, events,
                new Composer(MailLanguage.load("en"), mail.publicUrl(), mail.defaultFrom()), (tenant, invoiceId) -> {
                    Invoices.Pdf pdf = invoices.pdf(tenant, invoiceId);
                    return new Email.Attachment(pdf.filename(), "application/pdf", pdf.bytes());
                }, mail.smtp() == null ? null : new SmtpMailer(mail.smtp(), java.net.URI.create(mail.publicUrl()).getHost()),
                java.time.Duration.ofMinutes(10));
        this.mailWorker = new CourierWorker(courier, 2, 500, timeline::bulkWorkRunning);
        this.dunning = new Dunning(db, new DunningStore(), receivables, accounts, dunningPolicies, plans::find,
                new DunningActions(payments, accounts, subscriptions, licensing, notifications, timeline), subscriptions,
                timeline, clock, events);

        WebhookStore webhookStore = new WebhookStore();
        Fanout fanout = new Fanout(webhookStore, clock);
        this.webhooks = new WebhookEndpoints(db, webhookStore, events, clock, vault, fanout);
        Dispatch dispatch = new Dispatch(db, webhookStore, events, clock, vault, timeline,
                new OutboundHttp(java.time.Duration.ofSeconds(10)), fanout, (tx, tenantId, data, now) -> notifications.enqueueToTenant(tx, tenantId, "webhook_endpoint_disabled", data, now));
        this.deliveryWorkers = new DeliveryWorkers(dispatch, timeline::bulkWorkRunning, 2);
        // Every "on X → do Y" and "job kind → job", in one table.
        Reactions.wire(timeline, jobs, tenants, events, idempotency, billing, accounts, licensing, licenseCharges, invoices,
                payments, refunds, dunning, new Mailings(notifications, timeline, paymentMethods, subscriptions, plans::find),
                paymentMethods, subscriptions, dispatch, fanout);

        this.portalUsers = new tollgate.accounts.PortalUsers(db, new tollgate.accounts.PortalUserStore(), accounts, clock);
        Reactions.wireSeats(portalUsers, subscriptions);
        Reactions.wireMetrics(metrics, invoices, payments);
        // The portal's users and single-use links (decision 037): mails through the outbox, to the address concerned.
        this.portalLinks = new tollgate.accounts.PortalLinks(db, portalUsers, new tollgate.accounts.PortalTokenStore(), accounts,
                clock, notifications::enqueueTo);
        // Whose X-Forwarded-For (the sites' limits) and X-Forwarded-Proto (Secure cookies) are believed.
        tollgate.api.ClientAddresses proxies = tollgate.api.ClientAddresses.parse(config.network().trustedProxies());
        List<Api> apis = List.of(
                new OpsApi(db, metrics, this::openApi, this::isReady, proxies),
                new AccountsApi(accounts),
                new CatalogApi(plans, coupons),
                new DunningPoliciesApi(dunningPolicies),
                new PaymentMethodsApi(paymentMethods),
                new EventsApi(events),
                new TestClockApi(testClock, config.testClockAdvancesPerMinute()),
                new TenantApi(tenantProfiles, gateways),
                new ApiKeysApi(secretKeys),
                new InvoicesApi(invoices, oneOffCharges, refunds),
                new InvoiceItemsApi(oneOffCharges),
                new RefundsApi(refunds),
                new BalancesApi(balances),
                new SubscriptionsApi(subscriptions),
                new UsageApi(usage),
                new PaymentsApi(payments),
                new DunningApi(dunning, notifications),
                new MailboxApi(new Mailbox(notifications, courier)),
                new WebhooksApi(webhooks),
                new tollgate.api.PortalSessionsApi(portalLinks, tenants, mail.publicUrl()),
                new LicensesApi(licensing, RateLimiter.hashed(limits.perKeyPerSecond(), Math.max(1, 2 * limits.perKeyPerSecond()), 1_000_000),
                        RateLimiter.perName(limits.perAddressPerSecond(), Math.max(1, 2 * limits.perAddressPerSecond()), 100_000),
                        proxies));
        this.routes = apis.stream().flatMap(api -> api.routes().stream()).toList();
        OpenApi.Assembled assembled = OpenApi.assemble(apis.stream().map(Api::openApiFragment).toList());
        this.openApi = assembled.json();
        // What a test tenant's request made due runs before it is answered, which shows these resources read again.
        // Inside the API's one transaction, a test tenant's request that scheduled nothing at or before its clock (read
        // once per transaction) has nothing to run after its commit (decision 058).
        DueNow dueNow = new DueNow(testClock::runDueNow, tenant -> {
            java.time.Instant earliest = timeline.earliestScheduled(tenant.id());
            return earliest != null && !earliest.isAfter(clock.now(db.dsl(), tenant));
        }, Map.<String, BiFunction<Tenant, String, ?>>of("invoice", invoices::get,
                "subscription", subscriptions::get, "license", licensing::get, "account", accounts::get));
        // The web pages (decision 033): sessions keep real time; Secure cookies behind a trusted https proxy (054).
        tollgate.web.Cookies cookies = new tollgate.web.Cookies(proxies::trusts);
        // A test tenant's form that made work due runs it before the next page, as its API requests do (decision 087).
        tollgate.web.Web web = new tollgate.web.Web(new tollgate.web.Assets(), ctx -> dueNow.run(ctx.attribute(tollgate.web.Web.TENANT)));
        tollgate.portal.Portal portal = new tollgate.portal.Portal(tenants, accounts, portalUsers,
                new tollgate.web.WebSessions(db, new tollgate.web.WebSessionStore(), systemClock, cookies, "portal"),
                new tollgate.web.Csrf(cookies), new tollgate.web.Flashes(cookies),
                new tollgate.web.LoginThrottle(5, 20, java.time.Duration.ofMinutes(15), systemClock, (peer, forwardedFor) -> tollgate.api.ClientAddresses.bucket(proxies.client(peer, forwardedFor))), new tollgate.web.Pages(),
                web.assets());
        portal.withLicenses(new tollgate.portal.LicensePages.Services(licensing, plans));
        portal.withUsers(portalLinks, cookies);
        // Single-use form tokens in the database (decision 040): a double submit acts once across nodes.
        portal.withFormTokens(new tollgate.web.FormTokens(db, new tollgate.web.FormTokenStore(), systemClock));
        portal.billing(subscriptions, plans, invoices, new tollgate.billing.BillingPreview(db, clock, billing, licenseCharges::monthSoFarSummary),
                dunning);
        // Payment methods, invoices and the unpaid notice (decision 035); Stripe.js needs the publishable key.
        this.portalPayments = new tollgate.portal.PaymentPages(paymentMethods, payments, invoices, dunning, gateways,
                System.getenv("TOLLGATE_STRIPE_PUBLISHABLE_KEY"));
        portal.withPayments(portalPayments);
        // The operator console (decision 041): staff per tenant at /console/, their own sessions and cookie.
        tollgate.staff.StaffStore staffStore = new tollgate.staff.StaffStore();
        this.staff = new tollgate.staff.Staff(db, staffStore, clock);
        this.audit = new tollgate.audit.Audit(db, new tollgate.audit.AuditStore(), clock);
        this.staffInvitations = new tollgate.staff.StaffInvitations(db, staff, new tollgate.staff.StaffInvitationStore(), clock,
                (tx, tenant, template, to, data, now) -> notifications.enqueueTo(new Ctx(tx, tenant, now), null, template, to, data));
        tollgate.tenants.TenantLogos logos = new tollgate.tenants.TenantLogos(db, new tollgate.tenants.TenantLogoStore(), clock);
        invoices.printLogos(logos::bytesOf);
        invoices.printWith(fonts);
        if (fonts.names().size() > 1) log.info("invoices print with {}", String.join(", ", fonts.names()));
        portal.withLogo(logos::pathOf);
        // Staff viewing a customer's portal read only (decision 049): sessions of their own audience, never a customer's.
        tollgate.portal.ViewingAs viewingAs = new tollgate.portal.ViewingAs(new tollgate.web.WebSessions(db, new tollgate.web.WebSessionStore(),
                systemClock, cookies, tollgate.portal.ViewingAs.AUDIENCE), portalUsers, tenants);
        portal.withViewing(viewingAs);
        tollgate.console.Console console = new tollgate.console.Console(tenants, staff,
                new tollgate.staff.TwoFactor(db, staffStore, clock, vault), audit, testClock,
                new tollgate.web.WebSessions(db, new tollgate.web.WebSessionStore(), systemClock, cookies, "console"),
                new tollgate.web.WebSessions(db, new tollgate.web.WebSessionStore(), systemClock, cookies, "console_2fa"),
                new tollgate.web.Csrf(cookies), new tollgate.web.Flashes(cookies),
                new tollgate.web.LoginThrottle(5, 20, java.time.Duration.ofMinutes(15), systemClock, (peer, forwardedFor) -> tollgate.api.ClientAddresses.bucket(proxies.client(peer, forwardedFor))), new tollgate.web.Pages(),
                web.assets());
        // Actions done once and audited, after a page that says what follows (decision 042).
        tollgate.console.ActionForms actionForms = new tollgate.console.ActionForms(idempotency);
        console.add(new tollgate.console.StaffPages(staffInvitations)).add(new tollgate.console.SecurityPages())
                .add(new tollgate.console.SettingsPages(tenantProfiles, logos, (tenant, to, sender) -> db.tx(tx -> notifications.enqueueTo(
                        new Ctx(tx, tenant, clock.now(tx, tenant)), null, "console_test_email", to, Map.of("sender", (Object) sender))), mail.publicUrl()))
                .add(new tollgate.console.KeysPages(secretKeys, webhooks, actionForms)).add(new tollgate.console.AuditPages())
                .add(new tollgate.console.TestClockPages(testClock));
        // The console's accounts and invoices (decision 042): search, an account's page, actions done once and audited.
        console.add(new tollgate.console.AccountPages(new tollgate.console.AccountPages.Services(accounts, licensing, subscriptions,
                        invoices, dunning, notifications, events, plans)))
                .add(new tollgate.console.InvoiceDesk(new tollgate.console.InvoiceDesk.Services(invoices, payments, refunds, accounts),
                        actionForms))
                .add(new tollgate.console.AccountActions(accounts, plans, subscriptions, dunning, viewingAs, actionForms));
        // The console's home, invoice list and dunning board (decision 046): read models of the capabilities that own the tables.
        tollgate.invoicing.InvoiceFigures invoiceFigures = new tollgate.invoicing.InvoiceFigures(db, clock);
        tollgate.dunning.DunningFigures dunningFigures = new tollgate.dunning.DunningFigures(db);
        console.add(new tollgate.console.HomePages(new tollgate.console.HomePages.Figures(invoiceFigures,
                        new tollgate.payments.PaymentFigures(db), new tollgate.subscriptions.SubscriptionFigures(db),
                        new tollgate.licensing.LicenseFigures(db), dunningFigures)))
                .add(new tollgate.console.InvoiceListPages(invoices, invoiceFigures, accounts))
                .add(new tollgate.console.DunningPages(dunningFigures, dunning, accounts));
        // The console's catalog and dunning policies (decision 048): the API's services and rules, every change audited.
        console.add(new tollgate.console.CatalogPages(new tollgate.console.CatalogPages.Services(plans, coupons, dunningPolicies,
                        tenantProfiles, idempotency)))
                .add(new tollgate.console.PolicyPages(dunningPolicies, tenantProfiles, idempotency));
        // Every API key's successful write is in the audit log, beside the staff's actions (decision 041).
        Http server = new Http(tenants, idempotency, metrics, this::awaitReady, dueNow)
                .takingQueryParameters(assembled.queryParameters())
                .admitting(Config.apiConcurrency(System.getenv(), POOL_SIZE), java.time.Duration.ofSeconds(5),
                        work -> db.waitingForLocksAtMost(API_LOCK_WAIT, work)).onWrite((tenant, writes) -> {
            List<tollgate.audit.Audit.Action> actions = new java.util.ArrayList<>(writes.size());
            for (Http.Write w : writes) {
                Optional<tollgate.tenants.ApiKey> k = tenants.keyOf(w.secretKey());
                actions.add(new tollgate.audit.Audit.Action(tollgate.audit.AuditEntry.Actor.apiKey(k.map(tollgate.tenants.ApiKey::id).orElse("revoked_key"),
                        k.map(x -> x.prefix() + "…" + x.last4()).orElse("a revoked key")), "api." + w.method().toLowerCase(java.util.Locale.ROOT),
                        null, w.objectId(), Map.of("method", w.method(), "path", w.path(), "status", w.status())));
            }
            // One statement (two on a test tenant: its clock), in the request's transaction when it has one (decision 058).
            org.jooq.DSLContext dsl = db.dsl();
            audit.recordAll(new Ctx(dsl, tenant, clock.now(dsl, tenant)), actions);
        });
        this.http = server.create(routes, pages -> web.install(pages, List.of(portal, console)));
    }

    /** Opens the database, runs the migrations and builds the server (not yet listening). */
    public static Tollgate build(Config config, Clock systemClock) {
        Tollgate app = open(config, systemClock);
        try {
            app.awaitMigrations();
        } catch (RuntimeException e) {
            app.close();
            throw e;
        }
        return app;
    }

    /**
     * Like {@link #build}, but the migrations still run when this returns, so that they overlap with the web
     * server's start; requests wait at the door until they are done. Call {@link #start} next.
     */
    public static Tollgate open(Config config, Clock systemClock) {
        // The PDFs' fall-back fonts are read first: a file that is not a font stops the start before anything is made.
        tollgate.invoicing.PdfFonts fonts = tollgate.invoicing.PdfFonts.withFallbacks(Config.pdfFonts(System.getenv()));
        if (config.databaseUrl() == null) config.prepareDataDir(); // 0700 before H2 makes its files in it
        Database db = Database.open(config.jdbcUrl(), config.databaseUser(), config.databasePassword(), POOL_SIZE);
        // The H2 files exist once the migrations have run: then they are made the owner's only.
        CompletableFuture<Integer> migrated = CompletableFuture.supplyAsync(db::migrate).thenApply(n -> {
            config.protectDatabaseFiles();
            return n;
        });
        // A stop asked for while they run (Ctrl-C during a first start, SIGTERM) lets them end first: H2's schema changes are
        // not transactional, and one cut off half made is refused by every later start. Only while they run.
        Thread letThemEnd = new Thread(() -> awaitQuietly(migrated), "stop-after-migrations");
        try {
            Runtime.getRuntime().addShutdownHook(letThemEnd);
            migrated.whenComplete((n, e) -> removeShutdownHookQuietly(letThemEnd));
        } catch (IllegalStateException shuttingDown) {
            // the JVM is stopping already
        }
        try {
            return new Tollgate(config, db, systemClock, migrated, fonts);
        } catch (RuntimeException e) {
            migrated.join();
            db.close();
            throw e;
        }
    }

    /**
     * Starts listening on {@code port} (0 picks a free one), waits for the migrations, starts the background
     * worker and answers the port. A request that comes in before the migrations end waits for them.
     */
    public int start(int port) {
        return start(port, () -> {});
    }

    /**
     * {@link #start}, with {@code startupWork} (the first tenant of {@code serve}) run once the migrations are done and
     * before the server says it is ready: until then {@code /health} answers 503 {@code {"status":"starting"}} and
     * other requests wait at the door, so that a client that waited for health never meets a half-started server.
     */
    public int start(int port, Runnable startupWork) {
        try {
            http.start(host, port);
        } catch (RuntimeException e) {
            // The migrations that open() began run to their end before the caller hears of it: a process that exits on this
            // (serve does) would cut one off half-made, and H2's DDL is not transactional, so every later start would fail.
            awaitMigrationsQuietly();
            RuntimeException said = cannotListen(host, port, e);
            ready.completeExceptionally(said);
            throw said;
        }
        this.slowClients = tollgate.api.SlowClients.watch(http);
        this.stopKeepingKeysAlive = idempotency.keepingAlive(Idempotency.KEEP_ALIVE_EVERY, sideDb);
        try {
            awaitMigrations();
            startupWork.run();
        } catch (RuntimeException e) {
            ready.completeExceptionally(e);
            throw e;
        }
        worker.start();
        deliveryWorkers.start();
        worker.alsoEverySecond("license cache refresh", licensing::forgetChangedElsewhere);
        worker.alsoEvery("last site checks", 60, licensing::flushSiteChecks);
        // The API's writes fill tables between autovacuum's looks (or with it off) as a month-end does (decision 067).
        worker.alsoEvery("planner statistics", 10, db::keepStatistics);
        mailWorker.start();
        if (onlineBackups != null) worker.alsoEverySecond("backup requests", onlineBackups::serveRequests);
        ready.complete(null);
        return http.port();
    }

    /**
     * Javalin says "Port already in use" of any address it cannot bind (and "Port 1-1023 require elevated privileges" of
     * any it may not): the address, the port and the system's own reason, which its cause holds, instead.
     */
    static RuntimeException cannotListen(String host, int port, RuntimeException e) {
        if (!(e instanceof io.javalin.util.JavalinBindException)) return e;
        Throwable reason = e;
        while (reason.getCause() != null) reason = reason.getCause();
        return new IllegalStateException("cannot listen on " + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + ": "
                + (reason.getMessage() != null ? reason.getMessage() : reason.getClass().getSimpleName()), e);
    }

    /** The port the server listens on, once {@link #start} has begun (start-up work may ask). */
    public int port() {
        return http.port();
    }

    /** Whether start-up work is done and the server answers requests. */
    public boolean isReady() {
        return ready.isDone() && !ready.isCompletedExceptionally();
    }

    private void awaitReady() {
        try {
            ready.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** The encryption at rest, for tools that write sealed rows in bulk (the benchmarks' seeding). */
    public Vault vault() {
        return vault;
    }

    /** The OpenAPI document of every route this server has. */
    public byte[] openApi() {
        return openApi;
    }

    /** Blocks until the schema is current; fails the same way the migrations did. */
    public void awaitMigrations() {
        try {
            migrated.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    @Override
    public void close() {
        // Requests first (decision 045): those in flight run to their end while the workers and the pools are still there,
        // new ones are answered 503 with Retry-After; then each worker finishes the job in its hand and takes no more (a
        // timeline row is claimed in the transaction that runs it, so a job cut short leaves its row to the next node);
        // the pools close last. The live worker claims no new batch from the moment the stop begins (decision 057): the
        // batches in its hands finish, bounded by its own wait below, and a batch of the month-end (500 rows) started while
        // requests drain would only be one more to finish or to cut off.
        long began = System.nanoTime();
        liveDrain.stop();
        if (slowClients != null) slowClients.stop();
        http.stop();
        if (stopKeepingKeysAlive != null) stopKeepingKeysAlive.run(); // no request runs any more
        long requests = System.nanoTime();
        // The batches in hand get what is left of STOP_BOUND (and at least 10 s): a staged batch of first charges cut off
        // here is released for the next node at once, not left leased for TOLLGATE_LIVE_LEASE_SECONDS (decision 062).
        worker.close(java.time.Duration.ofNanos(Math.max(java.time.Duration.ofSeconds(10).toNanos(),
                STOP_BOUND.toNanos() - (requests - began))));
        releaseUnfinishedQuietly();
        long timeline = System.nanoTime();
        flushSiteChecksQuietly(); // the last minute's checks, before the pools close
        mailWorker.close();
        deliveryWorkers.close();
        awaitMigrationsQuietly();
        long others = System.nanoTime();
        sideDb.close();
        db.close();
        stopTimes = String.format("requests %.1f s, timeline worker %.1f s, mail and webhooks %.1f s, pools %.1f s",
                (requests - began) / 1e9, (timeline - requests) / 1e9, (others - timeline) / 1e9, (System.nanoTime() - others) / 1e9);
    }

    private volatile String stopTimes;

    private void releaseUnfinishedQuietly() {
        try {
            int released = timeline.releaseUnfinished();
            if (released > 0) log.warn("stop: {} rows of staged batches cut off by the stop's bound released for the next node", released);
        } catch (RuntimeException e) {
            log.warn("stop: staged rows not released (they wait for their lease instead)", e);
        }
    }

    /**
     * How long a stop waits, from its start, for the requests in flight (Jetty's stop timeout, 20 s, within it) and then
     * for the live worker's batches in hand: under the 30 s an orchestrator commonly gives before SIGKILL (decision 057).
     */
    public static final java.time.Duration STOP_BOUND = java.time.Duration.ofSeconds(25);

    /** How long each step of the last {@link #close} took (for {@code serve}'s last line); null before. */
    public String stopTimes() {
        return stopTimes;
    }

    private void flushSiteChecksQuietly() {
        try {
            if (migrated.isDone() && !migrated.isCompletedExceptionally()) licensing.flushSiteChecks();
        } catch (RuntimeException e) {
            // a stop goes on; these checks are an hour's precision at most
        }
    }

    private void awaitMigrationsQuietly() {
        awaitQuietly(migrated);
    }

    private static void awaitQuietly(CompletableFuture<?> future) {
        try {
            future.join();
        } catch (RuntimeException e) {
            // already reported to whoever waited for it
        }
    }

    private static void removeShutdownHookQuietly(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs, or has run
        }
    }
}
